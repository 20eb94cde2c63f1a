package dev.switchboard.identity.internal.web;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

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
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.identity.Role;
import dev.switchboard.identity.internal.account.UserAccounts;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The tenant's users, managed by its admins. */
@Tag(name = "Users")
@SecurityRequirement(name = "bearer")
@RestController
@RequestMapping("/api/users")
@PreAuthorize("hasRole('ADMIN')")
class UserController {

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

    @Operation(summary = "List the tenant's users")
    @GetMapping
    List<UserView> list() {
        return accounts.list().stream().map(UserView::of).toList();
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
