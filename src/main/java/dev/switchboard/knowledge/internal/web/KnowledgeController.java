package dev.switchboard.knowledge.internal.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartRequest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.knowledge.KnowledgeBase;
import dev.switchboard.knowledge.KnowledgeDocument;
import dev.switchboard.knowledge.KnowledgeSearch;
import dev.switchboard.knowledge.SearchHit;
import dev.switchboard.knowledge.internal.Documents;
import dev.switchboard.knowledge.internal.KnowledgeBases;
import dev.switchboard.knowledge.internal.KnowledgeProperties;
import dev.switchboard.knowledge.internal.ingestion.IndexState;
import dev.switchboard.knowledge.internal.ingestion.IndexStatus;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@Tag(name = "Knowledge")
@SecurityRequirement(name = "bearer")
@RestController
class KnowledgeController {

    private static final String WRITE = "hasRole('ADMIN') and hasAuthority('SCOPE_knowledge:write')";
    private static final String READ = "hasAuthority('SCOPE_knowledge:read')";

    private final KnowledgeBases bases;
    private final Documents documents;
    private final KnowledgeSearch search;
    private final IndexState indexState;
    private final ProblemResponder problems;
    private final DataSize maxUpload;

    KnowledgeController(KnowledgeBases bases, Documents documents, KnowledgeSearch search, IndexState indexState,
            ProblemResponder problems, KnowledgeProperties properties) {
        this.problems = problems;
        this.maxUpload = properties.maxUpload();
        this.indexState = indexState;
        this.bases = bases;
        this.documents = documents;
        this.search = search;
    }

    record NewKnowledgeBase(String name, String description) {
    }

    record SearchRequest(@NotBlank @Size(max = 2_000) String query, @NotEmpty List<UUID> knowledgeBaseIds,
            @Min(1) @Max(50) @Schema(description = "Passages to return (default 8).") Integer topK) {
    }

    /**
     * The passages found; {@code relevant} says whether the best of them is evidence enough to answer from
     * (what a chat turn decides on), {@code bestRelevance} how strong it is.
     */
    record SearchResults(List<SearchHit> results, boolean relevant, double bestRelevance) {
    }

    record KnowledgeBaseList(List<KnowledgeBase> knowledgeBases) {
    }

    /** A page of documents; {@code next} only when there may be more. */
    record DocumentList(List<KnowledgeDocument> documents,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Pass as cursor= for the next page; absent on the last page.") String next) {
    }

    /** An upload's outcome: the queued document, or the existing one for an identical earlier upload. */
    record UploadResult(UUID id, String status, boolean duplicate, KnowledgeDocument document) {
    }

    @Operation(summary = "Create a knowledge base", description = "Admins.")
    @PostMapping("/api/knowledge-bases")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(WRITE)
    KnowledgeBase create(@RequestBody NewKnowledgeBase body) {
        return bases.create(body.name(), body.description());
    }

    @Operation(summary = "List knowledge bases")
    @GetMapping("/api/knowledge-bases")
    @PreAuthorize(READ)
    KnowledgeBaseList list() {
        return new KnowledgeBaseList(bases.list());
    }

    @Operation(summary = "Show a knowledge base")
    @GetMapping("/api/knowledge-bases/{id}")
    @PreAuthorize(READ)
    KnowledgeBase show(@PathVariable UUID id) {
        return bases.require(id);
    }

    @Operation(summary = "Delete a knowledge base", description = "Admins. Removes its documents, chunks and vectors.")
    @DeleteMapping("/api/knowledge-bases/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize(WRITE)
    void delete(@PathVariable UUID id) throws IOException {
        documents.deleteKnowledgeBase(id);
    }

    @Operation(summary = "Upload a document", description = "Admins. multipart/form-data with one `file` part; "
            + "`knowledgeBaseId` in the query string (preferred: the caller and the knowledge base are then checked before "
            + "the body is read) or as a form field. "
            + "202 with the queued document; 200 with the existing one (`duplicate: true`) for an identical earlier upload "
            + "into the same knowledge base. The type is detected from the content: PDF, DOCX, PPTX, XLSX, HTML, Markdown, "
            + "plain text, CSV, JSON, EPUB (415 otherwise). Over switchboard.knowledge.max-upload, counted across all parts "
            + "also when the body is sent chunked: 413. More than one file part: 400.")
    @PostMapping(value = "/api/documents", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize(WRITE)
    ResponseEntity<UploadResult> upload(@RequestPart("file") MultipartFile file, @RequestParam UUID knowledgeBaseId,
            @Parameter(hidden = true) MultipartRequest multipart) throws IOException {
        int fileParts = multipart.getMultiFileMap().values().stream().mapToInt(List::size).sum();
        if (fileParts > 1) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", "Upload one file per request: this one has "
                    + fileParts + " file parts.");
        }
        Documents.Upload upload;
        try (InputStream content = file.getInputStream()) {
            upload = documents.upload(knowledgeBaseId, file.getOriginalFilename(), content);
        }
        UploadResult body = new UploadResult(upload.document().id(), upload.document().status(), upload.duplicate(),
                upload.document());
        return ResponseEntity.status(upload.duplicate() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(body);
    }

    /** The multipart body went over its limit while it was read (Tomcat counts every part, chunked or not). */
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Object> uploadTooLarge(MaxUploadSizeExceededException ex, HttpServletRequest request) {
        return problems.entity(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "The upload is larger than the "
                + "limit of " + maxUpload.toMegabytes() + " MB (switchboard.knowledge.max-upload), counted across all its parts; "
                + "send one file of at most that size."), request);
    }

    @Operation(summary = "A document and its ingestion", description = "status: queued, parsing, embedding, indexed or "
            + "failed (with error); chunksDone of chunksTotal.")
    @GetMapping("/api/documents/{id}")
    @PreAuthorize(READ)
    KnowledgeDocument document(@PathVariable UUID id) {
        return documents.require(id);
    }

    @Operation(summary = "A knowledge base's documents", description = "Newest first, `limit` (1-500, default 100) at a time; "
            + "page with cursor=<next of the previous page>.")
    @GetMapping("/api/documents")
    @PreAuthorize(READ)
    DocumentList documents(@RequestParam UUID knowledgeBaseId, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        PageCursor after = cursor == null ? null : PageCursor.parse(cursor);
        List<KnowledgeDocument> page = documents.page(knowledgeBaseId, after == null ? null : after.at(),
                after == null ? null : after.id(), limit);
        String next = page.size() == limit ? new PageCursor(page.getLast().createdAt(), page.getLast().id()).encoded() : null;
        return new DocumentList(page, next);
    }

    @Operation(summary = "Re-index a document", description = "Admins. Ingests the document again from its original: its "
            + "chunks leave the index at once and it is queued (202, status queued); follow it on GET /api/documents/{id}. "
            + "409 while it is being ingested.")
    @PostMapping("/api/documents/{id}/reindex")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize(WRITE)
    KnowledgeDocument reindex(@PathVariable UUID id) {
        return documents.reingest(id);
    }

    @Operation(summary = "Delete a document", description = "Admins. Removes its chunks and vectors at once.")
    @DeleteMapping("/api/documents/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize(WRITE)
    void deleteDocument(@PathVariable UUID id) throws IOException {
        documents.delete(id);
    }

    @Operation(summary = "The index's embedding model", description = "Admins. {status: ready|reindexing, model, provider, "
            + "dimension, replacing, chunksDone, chunksTotal, startedAt, finishedAt}: the configured model and, after the model "
            + "changed, the background re-index's progress.")
    @GetMapping("/api/knowledge/index")
    @PreAuthorize("hasRole('ADMIN')")
    IndexStatus index() {
        return indexState.status();
    }

    @Operation(summary = "Search knowledge", description = "Hybrid (BM25 + dense vectors, fused) search in the given knowledge "
            + "bases of this tenant: {query, knowledgeBaseIds, topK (1-50, default 8)}.")
    @PostMapping("/api/knowledge/search")
    @PreAuthorize(READ)
    SearchResults search(@Valid @RequestBody SearchRequest request) {
        int topK = request.topK() == null ? 8 : request.topK();
        // the knowledge bases are checked in the same database read as the hits' rows
        KnowledgeSearch.Results results = search.searchExisting(new LinkedHashSet<>(request.knowledgeBaseIds()), request.query(),
                topK);
        return new SearchResults(results.hits(), results.relevant(), results.bestRelevance());
    }
}
