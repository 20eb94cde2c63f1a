package dev.switchboard.knowledge.internal.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.knowledge.internal.Chunks;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The sources behind citations: a cited chunk, a document's chunks, the original file. */
@Tag(name = "Knowledge")
@SecurityRequirement(name = "bearer")
@RestController
class ChunkController {

    private static final String READ = "hasAuthority('SCOPE_knowledge:read')";

    private final Chunks chunks;

    ChunkController(Chunks chunks) {
        this.chunks = chunks;
    }

    @Operation(summary = "A chunk", description = "The exact text a citation's chunkId refers to, with its document, "
            + "knowledge base, position and page or section.")
    @GetMapping("/api/knowledge/chunks/{id}")
    @PreAuthorize(READ)
    Chunks.StoredChunk chunk(@PathVariable UUID id) {
        return chunks.require(id);
    }

    @Operation(summary = "A document's chunks", description = "In document order, `limit` (1-200, default 50) after the "
            + "ordinal `after`; `nextAfter` continues, null at the end.")
    @GetMapping("/api/documents/{id}/chunks")
    @PreAuthorize(READ)
    Chunks.ChunkPage documentChunks(@PathVariable UUID id, @RequestParam(defaultValue = "-1") int after,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 200) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", "limit: between 1 and 200.");
        }
        return chunks.page(id, after, limit);
    }

    @Operation(summary = "Download a document's original", description = "The uploaded file, byte for byte, as an attachment.")
    @GetMapping("/api/documents/{id}/file")
    @PreAuthorize(READ)
    ResponseEntity<Resource> original(@PathVariable UUID id) throws IOException {
        Chunks.Original original = chunks.original(id);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(original.mediaType()))
                .contentLength(original.size())
                // Always an attachment, never rendered in our origin: an uploaded HTML file is someone else's markup.
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(original.name(), StandardCharsets.UTF_8).build().toString())
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .body(original.content());
    }
}
