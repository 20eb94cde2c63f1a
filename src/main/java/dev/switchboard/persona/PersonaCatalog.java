package dev.switchboard.persona;

import java.util.List;
import java.util.Optional;

/** The personas of the current tenant that a caller may talk to. */
public interface PersonaCatalog {

    /**
     * The persona with this id or slug, if the caller may use it: admins may use every persona, members
     * those with {@link Persona#membersAllowed()}.
     */
    Optional<Persona> usable(String idOrSlug, boolean admin);

    /** Every persona the caller may use, by name. */
    List<Persona> usable(boolean admin);
}
