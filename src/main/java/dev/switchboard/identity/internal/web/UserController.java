package dev.switchboard.identity.internal.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import dev.switchboard.identity.Role;
import dev.switchboard.identity.internal.account.UserAccounts;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The tenant's users, managed by its admins. */
@Tag(name = "Users")
@SecurityRequirement(name = "bearer")
@RestController
@RequestMapping("/api/users")
@PreAuthorize("hasRole('ADMIN')")
class UserController {

    private static final int DEFAULT_PAGE = 50;

    private final UserAccounts accounts;

    UserController(UserAccounts accounts) {
        this.accounts = accounts;
    }

    record CreateUserRequest(@NotBlank @Email @Size(max = 320) String email, @NotBlank @Size(max = 1024) String password,
            @NotNull Role role) {
    }

    record UpdateUserRequest(Role role,
            @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,31}", message = "must be a tier name such as free, pro or enterprise") String tier,
            Boolean disabled) {
    }

    @Operation(summary = "Add a user to the tenant")
    @PostMapping
    ResponseEntity<UserView> create(@Valid @RequestBody CreateUserRequest request) {
        UserView user = UserView.of(accounts.create(request.email(), request.password(), request.role()));
        return ResponseEntity.created(URI.create("/api/users/" + user.id())).body(user);
    }

    @Operation(summary = "List the tenant's users", description = "Without parameters: every user, oldest first. With "
            + "limit, cursor or q: a page of at most limit users (default 50, at most 500) in the order of their e-mail "
            + "addresses, only those whose address contains q (any case) when given; the next page's URL is in the Link "
            + "header (rel=\"next\"), which the last page lacks.")
    @ApiResponse(responseCode = "200", description = "The users", headers = @Header(name = HttpHeaders.LINK, description = "<URL of the next page>; rel=\"next\" (paged requests, unless this is the last page)"))
    @GetMapping
    ResponseEntity<List<UserView>> list(@RequestParam(required = false) String cursor,
            @RequestParam(required = false) @Min(1) @Max(500) Integer limit,
            @RequestParam(required = false) @Size(max = 320) String q) {
        if (cursor == null && limit == null && q == null) {
            return ResponseEntity.ok(accounts.list().stream().map(UserView::of).toList());
        }
        int size = limit == null ? DEFAULT_PAGE : limit;
        String contains = q == null || q.isBlank() ? null : q.strip();
        List<UserView> page = accounts.page(UserCursor.decode(cursor), contains, size).stream().map(UserView::of).toList();
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (page.size() == size) {
            UriComponentsBuilder next = UriComponentsBuilder.fromPath("/api/users")
                    .queryParam("limit", size).queryParam("cursor", UserCursor.encode(page.getLast().email()));
            if (contains != null) {
                next.queryParam("q", contains);
            }
            response.header(HttpHeaders.LINK, "<" + next.encode().build().toUriString() + ">; rel=\"next\"");
        }
        return response.body(page);
    }

    /** Where a page of users ends: the last e-mail address, opaque to clients. */
    private static final class UserCursor {

        static String encode(String email) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(email.getBytes(StandardCharsets.UTF_8));
        }

        static String decode(String cursor) {
            if (cursor == null) {
                return null;
            }
            try {
                return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            }
            catch (IllegalArgumentException ex) {
                throw new SwitchboardException(HttpStatus.BAD_REQUEST, "bad-request",
                        "cursor: pass the cursor of the previous page's Link header unchanged.");
            }
        }
    }

    @Operation(summary = "One user")
    @GetMapping("/{id}")
    UserView get(@PathVariable UUID id) {
        return accounts.find(id).map(UserView::of).orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND,
                "not-found", "There is no user " + id + "."));
    }

    @Operation(summary = "Change a user's role or tier, or disable them", description = "The tier (one of "
            + "switchboard.metering.tiers; 400 unknown-tier) sets the user's rate limits and token quota, and those of "
            + "the user's keys. Disabling ends the user's sessions at once. "
            + "The last active admin cannot be demoted or disabled (409).")
    @PatchMapping("/{id}")
    UserView update(@PathVariable UUID id, @Valid @RequestBody UpdateUserRequest request) {
        return UserView.of(accounts.update(id, request.role(), request.tier(), request.disabled()));
    }

    @Operation(summary = "Delete a user")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        accounts.delete(id);
        return ResponseEntity.noContent().build();
    }
}
