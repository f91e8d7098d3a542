package dev.steward.function.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DocumentsApiTest {
    @Test
    void sanitizedNamesKeepOnlyTheLastSegmentAndSafeCharacters() {
        assertThat(DocumentsApi.sanitize("../../etc/passwd.txt")).isEqualTo("passwd.txt");
        assertThat(DocumentsApi.sanitize("C:\\Users\\me\\Q3 report.pdf")).isEqualTo("Q3 report.pdf");
        assertThat(DocumentsApi.sanitize("naïve<script>.md")).isEqualTo("na_ve_script_.md");
        assertThat(DocumentsApi.sanitize("   ")).isEqualTo("unnamed");
        assertThat(DocumentsApi.sanitize("x".repeat(300) + ".txt")).hasSize(200).endsWith(".txt");
    }
}
