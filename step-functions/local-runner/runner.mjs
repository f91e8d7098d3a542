// Local stand-in for the Step Functions API: executes the same ASL file that AWS runs, with
// aws-local-stepfunctions, and answers the two calls Steward makes (StartExecution, DescribeExecution) in the
// service's own JSON 1.0 wire format, so the Java side uses the real SfnClient with an endpoint override.
// Task states call plain Lambda ARNs. Each Task is invoked through local mode's Lambda Invoke endpoint
// (POST /2015-03-31/functions/{arn}/invocations) over a kept-alive connection; a function error comes back as
// Lambda reports it (X-Amz-Function-Error) and is raised with its errorType as the error name, so Retry and Catch
// match exactly as on AWS. (The interpreter's own path builds an AWS SDK client and signs every call: ~15 ms a step.)
//
// Usage: node runner.mjs --definition FILE --lambda-endpoint URL [--port 0] [--substitution NAME=VALUE ...]
// Prints "READY <port>" on stdout when listening. Exits when stdin closes (the parent process is gone).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';

const args = parseArgs(process.argv.slice(2));
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

const template = readFileSync(args.definition, 'utf8');
const definition = JSON.parse(substitute(template, args.substitutions));
const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:steward-agent-loop`;
const stateMachine = new StateMachine(definition, {
  validationOptions: { checkPaths: true, checkArn: true },
  awsConfig: { region: REGION, credentials: { accessKeys: { accessKeyId: 'local', secretAccessKey: 'local' } } },
});
process.env.AWS_ENDPOINT_URL_LAMBDA = args.lambdaEndpoint;

class FunctionError extends Error {
  constructor(errorType, cause) {
    super(cause);
    this.name = errorType;
  }
}

// node:http with a keep-alive agent rather than fetch: fetch (undici) adds about 0.2 ms a call at the median and
// several ms at the 99th percentile on this path (measured against the JDK HTTP server local mode runs).
const lambdaAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent: lambdaAgent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function invoke(functionArn, payload) {
  const url = `${args.lambdaEndpoint}/2015-03-31/functions/${encodeURIComponent(functionArn)}/invocations`;
  let response;
  try {
    response = await post(url, JSON.stringify(payload));
  } catch (e) {
    throw new FunctionError('Lambda.ServiceException', `invoke ${functionArn} failed: ${e.message}`);
  }
  const { status, headers, text } = response;
  if (status !== 200) {
    throw new FunctionError('Lambda.ServiceException', `invoke ${functionArn} answered HTTP ${status}: ${text}`);
  }
  const body = text.length ? JSON.parse(text) : null;
  if (headers['x-amz-function-error']) {
    // Cause is Lambda's error JSON, as Step Functions passes it on AWS.
    throw new FunctionError(body?.errorType ?? 'Lambda.Unknown', text);
  }
  return body;
}

const taskResourceLocalHandlers = Object.fromEntries(
  Object.entries(definition.States)
    .filter(([, state]) => state.Type === 'Task')
    .map(([name, state]) => [name, (input) => invoke(state.Resource, input)]));

const executions = new Map();
const MAX_KEPT = 10000;

function substitute(text, substitutions) {
  const out = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name) => {
    if (!(name in substitutions)) throw new Error(`no substitution for \${${name}}`);
    return substitutions[name];
  });
  return out;
}

function parseArgs(argv) {
  const out = { port: 0, substitutions: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--definition') { out.definition = v; i++; }
    else if (a === '--lambda-endpoint') { out.lambdaEndpoint = v; i++; }
    else if (a === '--port') { out.port = Number(v); i++; }
    else if (a === '--substitution') { const [k, ...rest] = v.split('='); out.substitutions[k] = rest.join('='); i++; }
    else throw new Error(`unknown argument ${a}`);
  }
  if (!out.definition || !out.lambdaEndpoint) throw new Error('--definition and --lambda-endpoint are required');
  return out;
}

function startExecution(req) {
  if (req.stateMachineArn !== stateMachineArn) {
    return [400, { __type: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${req.stateMachineArn}'` }];
  }
  const name = req.name || randomUUID();
  const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:steward-agent-loop:${name}`;
  if (executions.has(executionArn)) {
    return [400, { __type: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${executionArn}'` }];
  }
  let input;
  try { input = JSON.parse(req.input ?? '{}'); } catch (e) {
    return [400, { __type: 'InvalidExecutionInput', message: `Invalid JSON input: ${e.message}` }];
  }
  const startDate = Date.now() / 1000;
  const record = { executionArn, stateMachineArn, name, status: 'RUNNING', startDate, input: req.input ?? '{}' };
  executions.set(executionArn, record);
  if (executions.size > MAX_KEPT) executions.delete(executions.keys().next().value);
  const execution = stateMachine.run(input, { overrides: { taskResourceLocalHandlers } });
  execution.result.then(
    (output) => { Object.assign(record, { status: 'SUCCEEDED', output: JSON.stringify(output), stopDate: Date.now() / 1000 }); },
    (err) => {
      Object.assign(record, { status: 'FAILED', error: err?.name ?? 'Error', cause: err?.message ?? String(err), stopDate: Date.now() / 1000 });
      console.error(`[sfn] ${name} failed: ${record.error}: ${record.cause}`);
    });
  return [200, { executionArn, startDate }];
}

function describeExecution(req) {
  const record = executions.get(req.executionArn);
  if (!record) return [400, { __type: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${req.executionArn}'` }];
  return [200, record];
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (c) => chunks.push(c));
  request.on('end', () => {
    const target = request.headers['x-amz-target'] ?? '';
    let status, body;
    try {
      const req = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (target === 'AWSStepFunctions.StartExecution') [status, body] = startExecution(req);
      else if (target === 'AWSStepFunctions.DescribeExecution') [status, body] = describeExecution(req);
      else [status, body] = [400, { __type: 'UnknownOperationException', message: `operation ${target} is not supported locally` }];
    } catch (e) {
      [status, body] = [400, { __type: 'SerializationException', message: e.message }];
    }
    response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify(body));
  });
});

server.listen(args.port, '127.0.0.1', () => {
  process.stdout.write(`READY ${server.address().port}\n`);
});
// The parent holds our stdin open; when it dies (even by kill -9) stdin closes and we leave too: no orphans.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
