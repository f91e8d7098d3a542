package dev.steward.function.api;

import dev.steward.core.error.ApiException;
import dev.steward.core.tenant.Principal;
import dev.steward.core.tenant.Role;

/** Role checks of the routes that change a tenant's settings. */
final class Access {
    private Access() {}

    /** Refuses (403) anyone but an admin, naming what they tried. */
    static void requireAdmin(Principal who, String what) {
        if (who.role() != Role.ADMIN) {
            throw ApiException.forbidden("role " + who.role().wire() + " cannot " + what + "; use an admin key");
        }
    }
}
