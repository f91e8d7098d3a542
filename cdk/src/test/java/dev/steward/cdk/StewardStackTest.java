package dev.steward.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.cdk.SynthesizedStages.Synthesized;
import dev.steward.function.api.Route;
import dev.steward.function.api.Routes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;

/** Assertions on the synthesized dev, stage and prod templates (synthesized once, see {@link SynthesizedStages}). */
class StewardStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SynthesizedStages stages;

    @BeforeAll
    static void synthesizeOnce() {
        stages = SynthesizedStages.get();
    }

    // ---- data -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void oneTableWithTenantKeysGsiTtlPitrAndEncryption(String stage) {
        var s = stages.stage(stage);
        s.template().resourceCountIs("AWS::DynamoDB::Table", 1);
        s.template().hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                "AttributeDefinitions", Match.arrayWith(List.of(
                        Map.of("AttributeName", "pk", "AttributeType", "S"),
                        Map.of("AttributeName", "sk", "AttributeType", "S"),
                        Map.of("AttributeName", "gsi1pk", "AttributeType", "S"),
                        Map.of("AttributeName", "gsi1sk", "AttributeType", "S"),
                        Map.of("AttributeName", "gsi2pk", "AttributeType", "S"),
                        Map.of("AttributeName", "gsi2sk", "AttributeType", "S"))),
                "BillingMode", "PAY_PER_REQUEST",
                "GlobalSecondaryIndexes", List.of(Map.of(
                        "IndexName", "gsi1",
                        "KeySchema", List.of(
                                Map.of("AttributeName", "gsi1pk", "KeyType", "HASH"),
                                Map.of("AttributeName", "gsi1sk", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL")), Map.of(
                        "IndexName", "gsi2",
                        "KeySchema", List.of(
                                Map.of("AttributeName", "gsi2pk", "KeyType", "HASH"),
                                Map.of("AttributeName", "gsi2sk", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "KEYS_ONLY"))),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "TimeToLiveSpecification", Map.of("AttributeName", "ttl", "Enabled", true),
                "SSESpecification", Match.objectLike(Map.of("SSEEnabled", true))));
    }

    @Test
    void prodRetainsTheTableAndProtectsItWhileDevDeletesIt() {
        stages.stage("prod").template().hasResource("AWS::DynamoDB::Table", Map.of(
                "DeletionPolicy", "Retain",
                "UpdateReplacePolicy", "Retain",
                "Properties", Match.objectLike(Map.of("DeletionProtectionEnabled", true))));
        stages.stage("prod").template().hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain"));
        stages.stage("dev").template().hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Delete"));
        assertThat(stages.stage("prod").stack().getTerminationProtection()).isTrue();
        assertThat(stages.stage("dev").stack().getTerminationProtection()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void uploadsBucketIsPrivateVersionedTlsOnlyAndNotifiesTheIngestQueue(String stage) {
        var s = stages.stage(stage);
        var bucketId = s.logicalId(s.stack().uploads());
        var queueId = s.logicalId(s.stack().ingestQueue());

        assertThat(properties(s, bucketId)).containsEntry(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true))
                .containsEntry("VersioningConfiguration", Map.of("Status", "Enabled"));
        s.template().hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", Map.of("Ref", bucketId),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
        s.template().hasResourceProperties("Custom::S3BucketNotifications", Map.of(
                "BucketName", Map.of("Ref", bucketId),
                "NotificationConfiguration", Map.of("QueueConfigurations", List.of(
                        Map.of("Events", List.of("s3:ObjectCreated:*"), "QueueArn", Map.of("Fn::GetAtt", List.of(queueId, "Arn"))),
                        Map.of("Events", List.of("s3:ObjectRemoved:*"), "QueueArn", Map.of("Fn::GetAtt", List.of(queueId, "Arn")))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void ingestQueueRedrivesToItsDlqAfterThreeReceivesAndOutlastsSixIngestTimeouts(String stage) {
        var s = stages.stage(stage);
        var queue = s.resources().get(s.logicalId(s.stack().ingestQueue()));
        @SuppressWarnings("unchecked")
        var props = (Map<String, Object>) queue.get("Properties");
        assertThat(props.get("RedrivePolicy")).isEqualTo(Map.of(
                "deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(s.logicalId(s.stack().ingestDeadLetters()), "Arn")),
                "maxReceiveCount", 3));
        var ingestTimeout = ((Number) functionProperties(s, StewardFunction.INGEST).get("Timeout")).intValue();
        assertThat(((Number) props.get("VisibilityTimeout")).intValue()).isGreaterThanOrEqualTo(6 * ingestTimeout);
    }

    // ---- knowledge index -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void oneOpenSearchDomainEncryptedHttpsOnlyAndSizedForTheStage(String stage) {
        var s = stages.stage(stage);
        s.template().resourceCountIs("AWS::OpenSearchService::Domain", 1);
        var cluster = switch (stage) {
            // one small burstable node, no zone awareness
            case "dev" -> Map.<String, Object>of("InstanceType", "t3.small.search", "InstanceCount", 1,
                    "ZoneAwarenessEnabled", false, "DedicatedMasterEnabled", false, "MultiAZWithStandbyEnabled", false);
            // two nodes in two zones: the index's primary and its replica
            case "stage" -> Map.<String, Object>of("InstanceType", "t3.medium.search", "InstanceCount", 2,
                    "ZoneAwarenessEnabled", true, "ZoneAwarenessConfig", Map.of("AvailabilityZoneCount", 2),
                    "DedicatedMasterEnabled", false, "MultiAZWithStandbyEnabled", false);
            default -> Map.<String, Object>of("InstanceType", "r6g.large.search", "InstanceCount", 2,
                    "ZoneAwarenessEnabled", true, "ZoneAwarenessConfig", Map.of("AvailabilityZoneCount", 2),
                    "DedicatedMasterEnabled", false, "MultiAZWithStandbyEnabled", false);
        };
        var props = properties(s, s.logicalId(s.stack().knowledgeDomain()));
        assertThat(props).containsEntry("DomainName", "steward-" + stage)
                .containsEntry("EngineVersion", "OpenSearch_2.19")
                .containsEntry("ClusterConfig", cluster)
                .containsEntry("EBSOptions", Map.of("EBSEnabled", true, "VolumeType", "gp3",
                        "VolumeSize", Map.of("dev", 10, "stage", 20, "prod", 50).get(stage)))
                .containsEntry("EncryptionAtRestOptions", Map.of("Enabled", true))
                .containsEntry("NodeToNodeEncryptionOptions", Map.of("Enabled", true))
                .containsEntry("DomainEndpointOptions", Map.of("EnforceHTTPS", true,
                        "TLSSecurityPolicy", "Policy-Min-TLS-1-2-2019-07"))
                // public endpoint, IAM only: no VPC placement, no fine-grained access control (yet)
                .doesNotContainKeys("VPCOptions", "AdvancedSecurityOptions", "CognitoOptions");
    }

    @Test
    void prodRetainsTheKnowledgeDomainWhileDevAndStageDeleteIt() {
        stages.stage("prod").template().hasResource("AWS::OpenSearchService::Domain",
                Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
        for (var name : List.of("dev", "stage")) {
            stages.stage(name).template().hasResource("AWS::OpenSearchService::Domain",
                    Map.of("DeletionPolicy", "Delete", "UpdateReplacePolicy", "Delete"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void onlyTheRetrieveAndIngestRolesMayCallTheKnowledgeDomain(String stage) {
        var s = stages.stage(stage);
        var props = properties(s, s.logicalId(s.stack().knowledgeDomain()));
        @SuppressWarnings("unchecked")
        var policy = (Map<String, Object>) props.get("AccessPolicies");
        assertThat(policy).containsEntry("Version", "2012-10-17");
        assertThat(asList(policy.get("Statement"))).hasSize(1);
        @SuppressWarnings("unchecked")
        var statement = (Map<String, Object>) asList(policy.get("Statement")).getFirst();
        assertThat(statement.get("Effect")).isEqualTo("Allow");
        assertThat(actions(statement)).containsExactlyInAnyOrder(
                "es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPut", "es:ESHttpPost", "es:ESHttpDelete");
        assertThat(asList(((Map<?, ?>) statement.get("Principal")).get("AWS"))).containsExactlyInAnyOrder(
                Map.of("Fn::GetAtt", List.of(roleOf(s, StewardFunction.RETRIEVE), "Arn")),
                Map.of("Fn::GetAtt", List.of(roleOf(s, StewardFunction.INGEST), "Arn")));
        assertThat(((Map<?, ?>) statement.get("Principal")).keySet()).extracting(String::valueOf).containsExactly("AWS");
        // the domain itself and its paths, named without a reference to the domain resource (that would be a cycle)
        var resources = asList(statement.get("Resource")).stream().map(StewardStackTest::jsonOf).toList();
        assertThat(resources).hasSize(2).allSatisfy(r -> assertThat(r).contains(
                "\"arn:\",{\"Ref\":\"AWS::Partition\"},\":es:\",{\"Ref\":\"AWS::Region\"},\":\",{\"Ref\":\"AWS::AccountId\"}"));
        assertThat(resources).anySatisfy(r -> assertThat(r).endsWith("\":domain/steward-" + stage + "\"]]}"))
                .anySatisfy(r -> assertThat(r).endsWith("\":domain/steward-" + stage + "/*\"]]}"));

        // No role of the stack holds an es: permission of its own, so the policy above is the only way in; and the
        // policy is set on the domain itself, not by a custom resource after it exists.
        for (var r : s.resources().values()) {
            if ("AWS::IAM::Policy".equals(r.get("Type"))) {
                assertThat(jsonOf(r)).doesNotContain("\"es:");
            }
        }
        assertThat(s.template().findResources("Custom::OpenSearchAccessPolicy")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void retrieveAndIngestFindTheDomainOverHttpsAndSignForEs(String stage) {
        var s = stages.stage(stage);
        var endpoint = Map.of("Fn::Join", List.of("", List.of("https://",
                Map.of("Fn::GetAtt", List.of(s.logicalId(s.stack().knowledgeDomain()), "DomainEndpoint")))));
        for (var f : StewardFunction.values()) {
            var env = environment(s, f);
            if (f == StewardFunction.RETRIEVE || f == StewardFunction.INGEST) {
                assertThat(env).as(f.name()).containsEntry("STEWARD_OPENSEARCH_URL", endpoint)
                        .containsEntry("STEWARD_OPENSEARCH_SIGV4", "es");
            } else {
                assertThat(env).as(f.name()).doesNotContainKeys("STEWARD_OPENSEARCH_URL", "STEWARD_OPENSEARCH_SIGV4");
            }
        }
        s.template().hasOutput("KnowledgeDomainEndpoint", Map.of("Value", endpoint));
    }

    @Test
    void aKnowledgeDomainSizeMustSpreadEvenlyOverItsZones() {
        assertThatThrownBy(() -> new StageConfig.KnowledgeDomain("r6g.large.search", 3, 2, 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of availabilityZones");
        assertThatThrownBy(() -> new StageConfig.KnowledgeDomain("r6g.large", 2, 2, 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".search");
        assertThatThrownBy(() -> new StageConfig.KnowledgeDomain("r6g.large.search", 4, 4, 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1, 2 or 3");
    }

    // ---- functions --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyStewardFunctionIsJava21WithSnapStartOnPublishedVersions(String stage) {
        var s = stages.stage(stage);
        var ours = stewardFunctions(s);
        assertThat(ours.values()).extracting(p -> p.get("Handler")).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(StewardFunction.values()).map(StewardFunction::handler).toList());
        assertThat(ours.values()).allSatisfy(p -> {
            assertThat(p.get("Runtime")).isEqualTo("java21");
            assertThat(p.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
            assertThat(p.get("Architectures")).isEqualTo(List.of("x86_64"));
            assertThat(p.get("TracingConfig")).isEqualTo(Map.of("Mode", "Active"));
        });
        // and the handlers use the class::method form Lambda's Java runtime expects
        assertThat(ours.values()).extracting(p -> (String) p.get("Handler"))
                .allMatch(h -> h.matches("dev\\.steward\\.function\\.[a-z]+\\.[A-Z][A-Za-z]+Handler::handleRequest"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyFunctionHasALiveAliasOnAPublishedVersion(String stage) {
        var s = stages.stage(stage);
        for (var f : StewardFunction.values()) {
            var fn = s.stack().function(f);
            var functionRef = Map.of("Ref", s.logicalId(fn.function()));
            var alias = properties(s, s.logicalId(fn.live()));
            assertThat(alias).as(f + " alias").containsEntry("Name", "live").containsEntry("FunctionName", functionRef);
            // the alias points at a published version (SnapStart's snapshot), not at $LATEST
            @SuppressWarnings("unchecked")
            var versionAtt = (List<Object>) ((Map<String, Object>) alias.get("FunctionVersion")).get("Fn::GetAtt");
            var version = s.resources().get((String) versionAtt.get(0));
            assertThat(version.get("Type")).as(f + " version").isEqualTo("AWS::Lambda::Version");
            assertThat(properties(s, (String) versionAtt.get(0))).containsEntry("FunctionName", functionRef);
        }
    }

    @Test
    void environmentNamesTheTableEverywhereAndTheStateMachineOnlyForTheApi() {
        var s = stages.stage("stage");
        for (var f : StewardFunction.values()) {
            var env = environment(s, f);
            assertThat(env).as(f.name()).containsEntry("TABLE_NAME", Map.of("Ref", s.logicalId(s.stack().table())))
                    .containsEntry("POWERTOOLS_SERVICE_NAME", "steward-" + f.functionName());
            if (f == StewardFunction.API || f == StewardFunction.SWEEPER) {
                assertThat(env).as(f.name()).containsEntry("STATE_MACHINE_ARN", Map.of("Ref", s.logicalId(s.stack().agentLoop())));
            } else {
                assertThat(env).as(f.name()).doesNotContainKey("STATE_MACHINE_ARN");
            }
            // The sweeper reads the bucket (HeadObject) to fail uploads whose bytes never came.
            var needsBucket = f == StewardFunction.API || f == StewardFunction.INGEST || f == StewardFunction.SWEEPER;
            assertThat(env.containsKey("BUCKET_NAME")).as(f + " BUCKET_NAME").isEqualTo(needsBucket);
        }
    }

    @Test
    void theSweeperRunsOnASchedule() {
        var s = stages.stage("dev");
        s.template().hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "rate(2 minutes)", "State", "ENABLED"));
        assertThat(functionProperties(s, StewardFunction.SWEEPER)).containsEntry("ReservedConcurrentExecutions", 1);
    }

    @Test
    void reservedConcurrencyFollowsTheStageConfig() {
        assertThat(functionProperties(stages.stage("dev"), StewardFunction.API)).doesNotContainKey("ReservedConcurrentExecutions");
        assertThat(functionProperties(stages.stage("prod"), StewardFunction.API)).containsEntry("ReservedConcurrentExecutions", 100);
        assertThat(functionProperties(stages.stage("prod"), StewardFunction.PLAN)).containsEntry("ReservedConcurrentExecutions", 50);
        // ingest is capped by the event source mapping instead (see the SQS test)
        assertThat(functionProperties(stages.stage("prod"), StewardFunction.INGEST)).doesNotContainKey("ReservedConcurrentExecutions");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void ingestConsumesTheQueueThroughItsAliasInBatchesOfTenWithPartialFailures(String stage) {
        var s = stages.stage(stage);
        s.template().resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
        var mapping = s.template().findResources("AWS::Lambda::EventSourceMapping").values().iterator().next();
        // "<function name>:live", built from the alias ARN: the qualified name makes SQS invoke the alias
        assertThat(jsonOf(((Map<?, ?>) mapping.get("Properties")).get("FunctionName")))
                .contains("\"Ref\":\"" + s.logicalId(s.stack().function(StewardFunction.INGEST).live()) + "\"")
                .contains(":live");
        s.template().hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "EventSourceArn", Map.of("Fn::GetAtt", List.of(s.logicalId(s.stack().ingestQueue()), "Arn")),
                "BatchSize", 10,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                "ScalingConfig", Map.of("MaximumConcurrency", s.stack().config().ingestMaxConcurrency())));
    }

    // ---- agent loop -------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void stateMachineFillsEveryAslPlaceholderWithTheStepsAliasAndLeavesNoneOver(String stage) throws IOException {
        var s = stages.stage(stage);
        s.template().resourceCountIs("AWS::StepFunctions::StateMachine", 1);
        var props = properties(s, s.logicalId(s.stack().agentLoop()));
        assertThat(props).containsEntry("StateMachineType", "STANDARD");

        // The definition travels as an asset: it must be the ASL file, byte for byte.
        @SuppressWarnings("unchecked")
        var location = (Map<String, Object>) props.get("DefinitionS3Location");
        var asset = assetSource(s, (String) location.get("Key"));
        var aslFile = stages.inputs.agentLoopDefinition();
        assertThat(Files.readString(asset)).isEqualTo(Files.readString(aslFile));

        @SuppressWarnings("unchecked")
        var substitutions = (Map<String, Object>) props.get("DefinitionSubstitutions");
        var placeholders = StewardStack.placeholdersIn(aslFile);
        assertThat(placeholders).containsExactlyInAnyOrder("PlanFunctionArn", "RetrieveFunctionArn",
                "ActFunctionArn", "RespondFunctionArn", "VerifyFunctionArn", "FailFunctionArn");
        assertThat(substitutions.keySet()).isEqualTo(placeholders);
        for (var step : StewardFunction.agentLoopSteps()) {
            assertThat(substitutions.get(step.aslPlaceholder().orElseThrow())).as(step.name())
                    .isEqualTo(Map.of("Ref", s.logicalId(s.stack().function(step).live())));
        }

        // What CloudFormation will deploy: substitute, then no placeholder may be left.
        var rendered = Files.readString(asset);
        for (var e : substitutions.entrySet()) {
            // stand-in for the alias ARN CloudFormation resolves from {"Ref": <alias>}
            var aliasId = ((Map<?, ?>) e.getValue()).get("Ref");
            rendered = rendered.replace("${" + e.getKey() + "}", "arn:alias:" + aliasId);
        }
        // "${" may only survive in prose: a Comment field is never interpreted.
        var stringsOutsideComments = new ArrayList<String>();
        collectStrings(JSON.readTree(rendered), stringsOutsideComments);
        assertThat(stringsOutsideComments).isNotEmpty().noneMatch(v -> v.contains("${"));
        var resources = JSON.readTree(rendered).findValuesAsText("Resource");
        assertThat(resources).containsExactlyInAnyOrderElementsOf(StewardFunction.agentLoopSteps().stream()
                .map(step -> "arn:alias:" + s.logicalId(s.stack().function(step).live()))
                .toList());
    }

    @Test
    void stateMachineIsTracedAndLogsAllInDevButOnlyErrorsElsewhere() {
        for (var name : List.of("dev", "stage", "prod")) {
            var s = stages.stage(name);
            var props = properties(s, s.logicalId(s.stack().agentLoop()));
            assertThat(props.get("TracingConfiguration")).isEqualTo(Map.of("Enabled", true));
            @SuppressWarnings("unchecked")
            var logging = (Map<String, Object>) props.get("LoggingConfiguration");
            assertThat(logging.get("Level")).as(name).isEqualTo(name.equals("dev") ? "ALL" : "ERROR");
            assertThat(logging.get("IncludeExecutionData")).as(name).isEqualTo(name.equals("dev"));
        }
    }

    @Test
    void stateMachineMayInvokeExactlyTheStepAliases() {
        var s = stages.stage("prod");
        var roleId = s.logicalId(s.stack().agentLoop().getRole());
        var invoked = statementsOfRole(s, roleId).stream()
                .filter(st -> actions(st).contains("lambda:InvokeFunction"))
                .flatMap(st -> asList(st.get("Resource")).stream())
                .collect(Collectors.toSet());
        for (var step : StewardFunction.agentLoopSteps()) {
            assertThat(invoked).as(step.name()).contains(Map.of("Ref", s.logicalId(s.stack().function(step).live())));
        }
        for (var notAStep : List.of(StewardFunction.API, StewardFunction.AUTHORIZER, StewardFunction.INGEST)) {
            assertThat(invoked.toString()).doesNotContain(s.logicalId(s.stack().function(notAStep).live()));
        }
    }

    // ---- HTTP API ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void oneRoutePerRouteTableEntryWithTheApiKeyAuthorizerOnTenantRoutesAndIamOnTheOperatorsRoutes(String stage) {
        var s = stages.stage(stage);
        var routes = s.template().findResources("AWS::ApiGatewayV2::Route");
        assertThat(routes).hasSize(Routes.ALL.size());
        var byKey = new HashMap<String, Map<String, Object>>();
        for (var r : routes.values()) {
            @SuppressWarnings("unchecked")
            var props = (Map<String, Object>) r.get("Properties");
            byKey.put((String) props.get("RouteKey"), props);
        }
        assertThat(byKey.keySet()).isEqualTo(Routes.ALL.stream().map(Route::routeKey).collect(Collectors.toSet()));

        var authorizerId = s.template().findResources("AWS::ApiGatewayV2::Authorizer").keySet().iterator().next();
        for (var route : Routes.ALL) {
            var props = byKey.get(route.routeKey());
            switch (route.auth()) {
                case API_KEY -> assertThat(props).as(route.routeKey()).containsEntry("AuthorizationType", "CUSTOM")
                        .containsEntry("AuthorizerId", Map.of("Ref", authorizerId));
                case IAM -> assertThat(props).as(route.routeKey()).containsEntry("AuthorizationType", "AWS_IAM")
                        .doesNotContainKey("AuthorizerId");
                case NONE -> assertThat(props).as(route.routeKey()).containsEntry("AuthorizationType", "NONE")
                        .doesNotContainKey("AuthorizerId");
            }
        }
        // named, so that a change of the route table cannot move them unnoticed
        for (var admin : List.of("POST /v1/admin/tenants", "POST /v1/admin/tenants/{tenant}/keys")) {
            assertThat(byKey.get(admin)).as(admin).containsEntry("AuthorizationType", "AWS_IAM");
        }
        for (var tenantRoute : List.of("POST /v1/runs", "GET /v1/documents", "PUT /v1/policy", "PUT /v1/connections/{vendor}")) {
            assertThat(byKey.get(tenantRoute)).as(tenantRoute).containsEntry("AuthorizationType", "CUSTOM")
                    .containsEntry("AuthorizerId", Map.of("Ref", authorizerId));
        }
    }

    @Test
    void theAdminRoutesArnIsWhatAnOperatorsPolicyAllows() {
        var s = stages.stage("prod");
        var arn = jsonOf(s.template().findOutputs("AdminRoutesArn").get("AdminRoutesArn").get("Value"));
        // every admin route's method: POST (tenants, keys), GET and PATCH (a tenant's settings)
        assertThat(Routes.ALL.stream().filter(r -> r.auth() == Route.Auth.IAM).map(Route::method)).contains("POST", "GET", "PATCH");
        assertThat(arn).contains(":execute-api:", "/$default/*/v1/admin/*")
                .contains(s.logicalId(s.stack().httpApi()));
    }

    @Test
    void authorizerUsesSimpleResponsesOnTheAuthorizationHeaderWithAShortCache() {
        for (var name : List.of("dev", "prod")) {
            var s = stages.stage(name);
            s.template().resourceCountIs("AWS::ApiGatewayV2::Authorizer", 1);
            s.template().hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                    "AuthorizerType", "REQUEST",
                    "AuthorizerPayloadFormatVersion", "2.0",
                    "EnableSimpleResponses", true,
                    "IdentitySource", List.of("$request.header.Authorization"),
                    "AuthorizerResultTtlInSeconds", name.equals("dev") ? 0 : 60));
            var authorizer = s.template().findResources("AWS::ApiGatewayV2::Authorizer").values().iterator().next();
            assertThat(jsonOf(authorizer)).contains(s.logicalId(s.stack().function(StewardFunction.AUTHORIZER).live()));
        }
    }

    @Test
    void apiIntegrationTargetsTheApiAliasAndCorsAllowsTheSpaOrigin() {
        var s = stages.stage("dev");
        s.template().hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "IntegrationType", "AWS_PROXY",
                "PayloadFormatVersion", "2.0",
                "IntegrationUri", Map.of("Ref", s.logicalId(s.stack().function(StewardFunction.API).live()))));
        s.template().hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of(
                "ProtocolType", "HTTP",
                "CorsConfiguration", Match.objectLike(Map.of(
                        "AllowOrigins", StageConfig.dev().corsOrigins(),
                        // every method the SPA sends: removing a document, connection or webhook is a DELETE
                        "AllowMethods", List.of("GET", "POST", "DELETE", "PUT", "OPTIONS"),
                        "AllowHeaders", List.of("Authorization", "Content-Type")))));
        s.template().hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "$default",
                "AutoDeploy", true,
                "AccessLogSettings", Match.objectLike(Map.of("DestinationArn", Match.anyValue()))));
    }

    @Test
    void theUploadsBucketLetsTheSpaOriginsPutToUploadUrls() {
        var s = stages.stage("dev");
        assertThat(properties(s, s.logicalId(s.stack().uploads()))).containsEntry("CorsConfiguration", Map.of("CorsRules", List.of(Map.of(
                "AllowedOrigins", StageConfig.dev().corsOrigins(),
                "AllowedMethods", List.of("PUT"),
                "AllowedHeaders", List.of("Content-Type", "x-amz-checksum-sha256"),
                "MaxAge", 3600))));
    }

    // ---- IAM --------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void apiMayStartTheAgentLoopAndPutAndDeleteUploads(String stage) {
        var s = stages.stage(stage);
        var statements = statementsOfFunction(s, StewardFunction.API);
        assertThat(statements).anySatisfy(st -> {
            assertThat(actions(st)).containsExactly("states:StartExecution");
            assertThat(st.get("Resource")).isEqualTo(Map.of("Ref", s.logicalId(s.stack().agentLoop())));
        });
        assertThat(allActions(statements)).contains("s3:PutObject", "s3:DeleteObject*").doesNotContain("s3:GetObject*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void thePepperIsOneGeneratedSecretThatOnlyTheApiAndTheAuthorizerMayRead(String stage) {
        var s = stages.stage(stage);
        var secrets = s.template().findResources("AWS::SecretsManager::Secret");
        assertThat(secrets).containsOnlyKeys(s.logicalId(s.stack().apiKeyPepper()));
        s.template().hasResourceProperties("AWS::SecretsManager::Secret", Map.of(
                "GenerateSecretString", Map.of("PasswordLength", 64, "ExcludePunctuation", true)));
        var secret = Map.of("Ref", s.logicalId(s.stack().apiKeyPepper()));

        for (var f : StewardFunction.values()) {
            var env = environment(s, f);
            assertThat(env).as(f.name()).doesNotContainKey("API_KEY_PEPPER");
            if (f == StewardFunction.API || f == StewardFunction.AUTHORIZER) {
                assertThat(env).as(f.name()).containsEntry("API_KEY_PEPPER_SECRET_ARN", secret);
            } else {
                assertThat(env).as(f.name()).doesNotContainKey("API_KEY_PEPPER_SECRET_ARN");
            }
        }
        // exactly GetSecretValue on that secret, on exactly those two roles; no other secretsmanager action anywhere
        var readers = statementsByRole(s, st -> actions(st).stream().anyMatch(a -> a.startsWith("secretsmanager:")));
        assertThat(readers).containsOnlyKeys(roleOf(s, StewardFunction.API), roleOf(s, StewardFunction.AUTHORIZER));
        readers.values().forEach(statements -> assertThat(statements).singleElement().satisfies(st -> {
            assertThat(actions(st)).containsExactly("secretsmanager:GetSecretValue");
            assertThat(st.get("Resource")).isEqualTo(secret);
        }));
        var deletion = s.resources().get(s.logicalId(s.stack().apiKeyPepper())).get("DeletionPolicy");
        assertThat(deletion).isEqualTo(stage.equals("prod") ? "Retain" : "Delete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void oneRotatedSecretsKeyThatOnlyTheApiSealsWithAndOnlyTheApiAndActOpenWith(String stage) {
        var s = stages.stage(stage);
        var keyId = s.logicalId(s.stack().secretsKey());
        assertThat(s.template().findResources("AWS::KMS::Key")).containsOnlyKeys(keyId);
        s.template().hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
        assertThat(s.resources().get(keyId).get("DeletionPolicy")).isEqualTo(stage.equals("prod") ? "Retain" : "Delete");
        var keyArn = Map.of("Fn::GetAtt", List.of(keyId, "Arn"));

        for (var f : StewardFunction.values()) {
            var env = environment(s, f);
            assertThat(env).as(f.name()).doesNotContainKey("STEWARD_SECRETS_KEY");
            if (f == StewardFunction.API || f == StewardFunction.ACT) {
                assertThat(env).as(f.name()).containsEntry("STEWARD_SECRETS_KMS_KEY", keyArn);
            } else {
                assertThat(env).as(f.name()).doesNotContainKey("STEWARD_SECRETS_KMS_KEY");
            }
        }
        // on that key only, and only with a tenant and purpose as the whole encryption context
        var context = Map.of(
                "ForAllValues:StringEquals", Map.of("kms:EncryptionContextKeys", List.of("tenant", "purpose")),
                "Null", Map.of("kms:EncryptionContext:tenant", "false", "kms:EncryptionContext:purpose", "false"));
        var users = statementsByRole(s, st -> actions(st).stream().anyMatch(a -> a.startsWith("kms:")));
        assertThat(users).containsOnlyKeys(roleOf(s, StewardFunction.API), roleOf(s, StewardFunction.ACT));
        assertThat(users.get(roleOf(s, StewardFunction.API))).singleElement().satisfies(st -> {
            assertThat(actions(st)).containsExactlyInAnyOrder("kms:Encrypt", "kms:Decrypt");
            assertThat(st.get("Resource")).isEqualTo(keyArn);
            assertThat(st.get("Condition")).isEqualTo(context);
        });
        assertThat(users.get(roleOf(s, StewardFunction.ACT))).singleElement().satisfies(st -> {
            assertThat(actions(st)).containsExactly("kms:Decrypt");
            assertThat(st.get("Resource")).isEqualTo(keyArn);
            assertThat(st.get("Condition")).isEqualTo(context);
        });
        // and nowhere else in the template (inline role policies, custom resources) does a kms: action appear,
        // but in the key's own policy
        var withKms = new TreeMap<String, Object>();
        s.resources().forEach((id, resource) -> {
            var strings = new ArrayList<String>();
            collectStrings(JSON.valueToTree(resource), strings);
            if (strings.stream().anyMatch(v -> v.startsWith("kms:"))) {
                withKms.put(id, resource.get("Type"));
            }
        });
        assertThat(withKms).containsEntry(keyId, "AWS::KMS::Key")
                .allSatisfy((id, type) -> assertThat(type).as(id).isIn("AWS::KMS::Key", "AWS::IAM::Policy"));
        assertThat(withKms).as("the key and the api's and act's policies").hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noRoleMayChangeOrDeleteAnAuditEventAndOnlyTheApiMayAppendOne(String stage) {
        var s = stages.stage(stage);
        var table = Map.of("Fn::GetAtt", List.of(s.logicalId(s.stack().table()), "Arn"));
        var onAuditPartitions = Map.of("ForAnyValue:StringLike", Map.of("dynamodb:LeadingKeys", List.of("T#*#AUDIT")));
        var denies = statementsByRole(s, st -> "Deny".equals(st.get("Effect")) && actions(st).contains("dynamodb:DeleteItem"));
        var writers = new java.util.TreeSet<String>();
        for (var f : StewardFunction.values()) {
            if (f != StewardFunction.AUTHORIZER) {
                writers.add(roleOf(s, f));
            }
        }
        assertThat(denies.keySet()).as("every role that may write the table").containsExactlyInAnyOrderElementsOf(writers);
        for (var f : StewardFunction.values()) {
            if (f == StewardFunction.AUTHORIZER) {
                assertThat(allActions(statementsOfFunction(s, f))).noneMatch(a -> a.startsWith("dynamodb:Put")
                        || a.startsWith("dynamodb:Update") || a.startsWith("dynamodb:Delete") || a.startsWith("dynamodb:BatchWrite"));
                continue;
            }
            var expected = new java.util.ArrayList<>(List.of("dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"));
            if (f != StewardFunction.API) {
                expected.add("dynamodb:PutItem");
            }
            assertThat(denies.get(roleOf(s, f))).as(f.name()).singleElement().satisfies(st -> {
                assertThat(actions(st)).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(st.get("Resource")).isEqualTo(table);
                assertThat(st.get("Condition")).isEqualTo(onAuditPartitions);
            });
        }
        // the api still appends: PutItem on the table is allowed to it (the Deny above leaves PutItem out for it)
        assertThat(statementsOfFunction(s, StewardFunction.API)).anySatisfy(st -> {
            assertThat(st.get("Effect")).isEqualTo("Allow");
            assertThat(actions(st)).contains("dynamodb:PutItem", "dynamodb:ConditionCheckItem");
        });
    }

    @Test
    void grantsFollowEachFunctionsNeed() {
        var s = stages.stage("prod");
        var authorizer = allActions(statementsOfFunction(s, StewardFunction.AUTHORIZER));
        assertThat(authorizer).contains("dynamodb:GetItem", "dynamodb:Query")
                .noneMatch(a -> a.startsWith("dynamodb:Put") || a.startsWith("dynamodb:Delete")
                        || a.startsWith("dynamodb:Update") || a.startsWith("s3:") || a.startsWith("states:"));

        var sweeper = allActions(statementsOfFunction(s, StewardFunction.SWEEPER));
        assertThat(sweeper).contains("s3:GetObject*", "s3:List*", "states:StartExecution", "states:DescribeExecution")
                .doesNotContain("s3:PutObject", "s3:DeleteObject*");

        var ingest = allActions(statementsOfFunction(s, StewardFunction.INGEST));
        assertThat(ingest).contains("s3:GetObject*", "sqs:ReceiveMessage", "sqs:DeleteMessage", "dynamodb:PutItem")
                .doesNotContain("s3:PutObject", "s3:DeleteObject*");

        for (var step : StewardFunction.agentLoopSteps()) {
            var actions = allActions(statementsOfFunction(s, step));
            assertThat(actions).as(step.name()).contains("dynamodb:PutItem", "dynamodb:Query")
                    .noneMatch(a -> a.startsWith("s3:") || a.startsWith("states:") || a.startsWith("sqs:"));
        }
        assertThat(allActions(statementsOfFunction(s, StewardFunction.PLAN))).contains("bedrock:InvokeModel");
        assertThat(allActions(statementsOfFunction(s, StewardFunction.FAIL))).noneMatch(a -> a.startsWith("bedrock:"));
        // Titan embeddings: retrieve (queries) and ingest (passages) may invoke that one model only.
        for (var f : List.of(StewardFunction.RETRIEVE, StewardFunction.INGEST)) {
            var bedrock = statementsOfFunction(s, f).stream().filter(st -> actions(st).contains("bedrock:InvokeModel")).toList();
            assertThat(bedrock).as(f.name()).singleElement()
                    .satisfies(st -> assertThat(String.valueOf(st.get("Resource"))).contains("foundation-model/amazon.titan-embed-text-v2:0")
                            .doesNotContain("foundation-model/*"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void noPolicyInTheStackGrantsWildcardActions(String stage) {
        var s = stages.stage(stage);
        var everyAction = new ArrayList<String>();
        for (var r : s.resources().values()) {
            if ("AWS::IAM::Policy".equals(r.get("Type"))) {
                @SuppressWarnings("unchecked")
                var doc = (Map<String, Object>) ((Map<String, Object>) r.get("Properties")).get("PolicyDocument");
                for (var st : asList(doc.get("Statement"))) {
                    @SuppressWarnings("unchecked")
                    var statement = (Map<String, Object>) st;
                    everyAction.addAll(actions(statement));
                }
            }
        }
        assertThat(everyAction).isNotEmpty().doesNotContain("*", "dynamodb:*", "s3:*", "sqs:*", "states:*", "lambda:*");
    }

    // ---- operations -------------------------------------------------------------------------------------------

    @Test
    void alarmsOnDlqDepthAndAgentLoopFailuresExistInStageAndProdButNotDev() {
        stages.stage("dev").template().resourceCountIs("AWS::CloudWatch::Alarm", 0);
        stages.stage("dev").template().resourceCountIs("AWS::SNS::Topic", 0);
        for (var name : List.of("stage", "prod")) {
            var s = stages.stage(name);
            s.template().hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "MetricName", "ApproximateNumberOfMessagesVisible",
                    "Namespace", "AWS/SQS",
                    "Dimensions", List.of(Map.of("Name", "QueueName",
                            "Value", Map.of("Fn::GetAtt", List.of(s.logicalId(s.stack().ingestDeadLetters()), "QueueName")))),
                    "ComparisonOperator", "GreaterThanThreshold",
                    "Threshold", 0,
                    "AlarmActions", List.of(Match.anyValue())));
            s.template().hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "MetricName", "ExecutionsFailed",
                    "Namespace", "AWS/States",
                    "Dimensions", List.of(Map.of("Name", "StateMachineArn",
                            "Value", Map.of("Ref", s.logicalId(s.stack().agentLoop())))),
                    "ComparisonOperator", "GreaterThanThreshold",
                    "Threshold", 0));
        }
    }

    @Test
    void stageAndProdAlsoAlarmOnApiServerErrorsAndAFailingSweeper() {
        for (var name : List.of("stage", "prod")) {
            var s = stages.stage(name);
            s.template().resourceCountIs("AWS::CloudWatch::Alarm", 5);
            s.template().hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "MetricName", "5xx",
                    "Namespace", "AWS/ApiGateway",
                    "Dimensions", List.of(Map.of("Name", "ApiId", "Value", Map.of("Ref", s.logicalId(s.stack().httpApi())))),
                    "Threshold", 0,
                    "AlarmActions", List.of(Match.anyValue())));
            s.template().hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "MetricName", "Errors",
                    "Namespace", "AWS/Lambda",
                    "Dimensions", Match.arrayWith(List.of(Map.of("Name", "FunctionName",
                            "Value", Map.of("Ref", s.logicalId(s.stack().function(StewardFunction.SWEEPER).function()))))),
                    "Threshold", 0,
                    "AlarmActions", List.of(Match.anyValue())));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyStageHasADashboardOfRunsGuardrailsApiIngestionAndEveryFunction(String stage) throws IOException {
        var s = stages.stage(stage);
        var dashboards = s.template().findResources("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        var properties = (Map<?, ?>) dashboards.values().iterator().next().get("Properties");
        assertThat(properties.get("DashboardName")).isEqualTo("Steward-" + stage);
        var body = dashboardBody(properties.get("DashboardBody"));

        // the loop's EMF records, read across tenants with SEARCH (which must name the whole dimension set)
        assertThat(body.findValuesAsText("expression")).contains(
                "SUM(SEARCH('{Steward,Agent,Step,Tenant} MetricName=\"Run.FAILED\"', 'Sum', 300))",
                "SUM(SEARCH('{Steward,Agent,Step,Tenant} MetricName=\"TokensIn\"', 'Sum', 300))",
                "SEARCH('{Steward,Agent,Step,Tenant} MetricName=\"StepDuration\"', 'p99', 300)",
                "SEARCH('{Steward,Agent,Step,Tenant} MetricName=Guardrail', 'Sum', 300)",
                // review requests (the loop) and decisions (the api function) share the loop's dimension set
                "SUM(SEARCH('{Steward,Agent,Step,Tenant} MetricName=\"Review.Requested\"', 'Sum', 300))",
                "SUM(SEARCH('{Steward,Agent,Step,Tenant} MetricName=\"Review.APPROVED\"', 'Sum', 300))",
                "SEARCH('{Steward,Agent,Step,Tenant} MetricName=\"ReviewWait\"', 'p99', 300)");
        var metrics = body.findValues("metrics").stream().flatMap(m -> java.util.stream.StreamSupport.stream(m.spliterator(), false))
                .map(Object::toString).toList();
        assertThat(metrics).anySatisfy(m -> assertThat(m).contains("ExecutionsFailed", s.logicalId(s.stack().agentLoop())));
        assertThat(metrics).anySatisfy(m -> assertThat(m).contains("\"5xx\"", s.logicalId(s.stack().httpApi())));
        assertThat(metrics).anySatisfy(m -> assertThat(m).contains("ApproximateNumberOfMessagesVisible",
                s.logicalId(s.stack().ingestDeadLetters())));
        for (var function : StewardFunction.values()) {
            assertThat(metrics).as(function.functionName()).anySatisfy(m -> assertThat(m)
                    .contains("\"Errors\"", s.logicalId(s.stack().function(function).function())));
        }
    }

    /** A dashboard body ({@code Fn::Join} of text and references) as JSON, each reference replaced by its logical id. */
    private static com.fasterxml.jackson.databind.JsonNode dashboardBody(Object join) throws IOException {
        var parts = (List<?>) ((List<?>) ((Map<?, ?>) join).get("Fn::Join")).get(1);
        var text = new StringBuilder();
        for (var part : parts) {
            if (part instanceof String piece) {
                text.append(piece);
            } else if (part instanceof Map<?, ?> ref && ref.get("Ref") != null) {
                text.append(ref.get("Ref"));
            } else {
                text.append(((List<?>) ((Map<?, ?>) part).get("Fn::GetAtt")).get(0));
            }
        }
        return JSON.readTree(text.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyTaggableResourceCarriesAppAndStageTags(String stage) {
        var s = stages.stage(stage);
        var expected = Set.of(Map.of("Key", "app", "Value", "steward"), Map.of("Key", "stage", "Value", stage));
        for (var type : List.of("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::Lambda::Function",
                "AWS::StepFunctions::StateMachine", "AWS::IAM::Role", "AWS::Logs::LogGroup",
                "AWS::OpenSearchService::Domain")) {
            var found = s.template().findResources(type);
            assertThat(found).as(type).isNotEmpty();
            for (var r : found.entrySet()) {
                if (r.getKey().startsWith("CustomS3AutoDeleteObjectsCustomResourceProvider")) {
                    continue; // CDK's singleton provider is a raw CfnResource that Tags.of cannot reach
                }
                @SuppressWarnings("unchecked")
                var props = (Map<String, Object>) r.getValue().get("Properties");
                assertThat(asList(props.get("Tags"))).as(type + " " + r.getKey()).containsAll(expected);
            }
        }
        // HTTP APIs take tags as a map
        s.template().hasResourceProperties("AWS::ApiGatewayV2::Api",
                Map.of("Tags", Map.of("app", "steward", "stage", stage)));
    }

    @Test
    void samconfigPointsEachStageAtItsSynthesizedTemplateAndStack() throws IOException {
        var samconfig = Files.readString(stages.repoRoot.resolve("samconfig.toml"));
        var referenced = new java.util.TreeSet<String>();
        var matcher = java.util.regex.Pattern.compile("cdk/cdk\\.out/assembly-[a-z]+/[A-Za-z0-9]+\\.template\\.json")
                .matcher(samconfig);
        while (matcher.find()) {
            referenced.add(matcher.group());
        }
        var synthesized = stages.byStage.values().stream()
                .map(s -> "cdk/cdk.out/" + s.assemblyDir().getFileName() + "/" + s.stack().getArtifactId() + ".template.json")
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(referenced).isEqualTo(synthesized);
        for (var s : stages.byStage.values()) {
            assertThat(samconfig).contains("stack_name = \"" + s.stack().getStackName() + "\"");
        }
    }

    @Test
    void noStaticSiteWithoutABuiltSpa() {
        for (var s : stages.byStage.values()) {
            s.template().resourceCountIs("AWS::CloudFront::Distribution", 0);
            assertThat(s.stack().site()).isEmpty();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Synthesized s, String logicalId) {
        return (Map<String, Object>) s.resources().get(logicalId).get("Properties");
    }

    static Map<String, Object> functionProperties(Synthesized s, StewardFunction f) {
        return properties(s, s.logicalId(s.stack().function(f).function()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> environment(Synthesized s, StewardFunction f) {
        return (Map<String, Object>) ((Map<String, Object>) functionProperties(s, f).get("Environment")).get("Variables");
    }

    /** Our functions (not CDK's custom-resource handlers), by logical id. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> stewardFunctions(Synthesized s) {
        return s.template().findResources("AWS::Lambda::Function").entrySet().stream()
                .filter(e -> String.valueOf(((Map<String, Object>) e.getValue().get("Properties")).get("Handler"))
                        .startsWith("dev.steward."))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> (Map<String, Object>) e.getValue().get("Properties")));
    }

    static String roleOf(Synthesized s, StewardFunction f) {
        return s.logicalId(s.stack().function(f).function().getRole());
    }

    static List<Map<String, Object>> statementsOfFunction(Synthesized s, StewardFunction f) {
        return statementsOfRole(s, s.logicalId(s.stack().function(f).function().getRole()));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statementsOfRole(Synthesized s, String roleLogicalId) {
        var statements = new ArrayList<Map<String, Object>>();
        for (var r : s.resources().values()) {
            if (!"AWS::IAM::Policy".equals(r.get("Type"))) {
                continue;
            }
            var props = (Map<String, Object>) r.get("Properties");
            if (asList(props.get("Roles")).contains(Map.of("Ref", roleLogicalId))) {
                var doc = (Map<String, Object>) props.get("PolicyDocument");
                asList(doc.get("Statement")).forEach(st -> statements.add((Map<String, Object>) st));
            }
        }
        assertThat(statements).as("policies of " + roleLogicalId).isNotEmpty();
        return statements;
    }

    /**
     * Every statement of every IAM policy in the template that {@code matching} accepts, by the logical id of the
     * role it is attached to.
     */
    @SuppressWarnings("unchecked")
    static Map<String, List<Map<String, Object>>> statementsByRole(Synthesized s, Predicate<Map<String, Object>> matching) {
        var byRole = new TreeMap<String, List<Map<String, Object>>>();
        for (var r : s.template().findResources("AWS::IAM::Policy").values()) {
            var props = (Map<String, Object>) r.get("Properties");
            var doc = (Map<String, Object>) props.get("PolicyDocument");
            for (var st : asList(doc.get("Statement"))) {
                var statement = (Map<String, Object>) st;
                if (matching.test(statement)) {
                    for (var role : asList(props.get("Roles"))) {
                        byRole.computeIfAbsent((String) ((Map<String, Object>) role).get("Ref"), k -> new ArrayList<>())
                                .add(statement);
                    }
                }
            }
        }
        return byRole;
    }

    static List<String> actions(Map<String, Object> statement) {
        return asList(statement.get("Action")).stream().map(String::valueOf).toList();
    }

    static List<String> allActions(List<Map<String, Object>> statements) {
        return statements.stream().flatMap(st -> actions(st).stream()).toList();
    }

    static List<Object> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
    }

    /** The local file of a file asset, looked up by its S3 object key in the stage's asset manifest. */
    static java.nio.file.Path assetSource(Synthesized s, String objectKey) throws IOException {
        var manifest = JSON.readTree(s.assemblyDir().resolve(s.stack().getArtifactId() + ".assets.json").toFile());
        var hash = objectKey.substring(0, objectKey.indexOf('.'));
        var path = manifest.path("files").path(hash).path("source").path("path").asText();
        assertThat(path).as("asset " + objectKey).isNotEmpty();
        return s.assemblyDir().resolve(path).normalize();
    }

    static void collectStrings(com.fasterxml.jackson.databind.JsonNode node, List<String> into) {
        if (node.isTextual()) {
            into.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(child -> collectStrings(child, into));
        } else if (node.isObject()) {
            node.properties().forEach(e -> {
                if (!e.getKey().equals("Comment")) {
                    collectStrings(e.getValue(), into);
                }
            });
        }
    }

    static String jsonOf(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
