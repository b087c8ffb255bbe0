package com.triageassistant.jira.emulator;

import java.util.Set;
import java.util.function.Supplier;

/**
 * What a site's permission scheme grants, in one place for {@code mypermissions} and {@code permissions/check}:
 * every active person may browse, create, edit and assign issues (the default scheme's "any logged-in user");
 * only the project's admins administer it, and the app's own account administers nothing; nobody is a site admin.
 */
final class SitePermissions {

    private static final Set<String> EVERY_ACTIVE_USER = Set.of("BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES",
            "ASSIGN_ISSUES", "ASSIGNABLE_USER", "ADD_COMMENTS", "TRANSITION_ISSUES", "SCHEDULE_ISSUES");
    private static final Set<String> PROJECT_ADMINS = Set.of("ADMINISTER_PROJECTS");
    private static final Set<String> GLOBAL_FOR_EVERY_ACTIVE_USER = Set.of("USER_PICKER", "CREATE_SHARED_OBJECTS",
            "BULK_CHANGE", "MANAGE_GROUP_FILTER_SUBSCRIPTIONS");
    private static final Set<String> GLOBAL_FOR_NOBODY = Set.of("ADMINISTER", "SYSTEM_ADMIN");

    /** The app's account exists only once the app is installed. */
    private final Supplier<String> appAccountId;

    SitePermissions(Supplier<String> appAccountId) {
        this.appAccountId = appAccountId;
    }

    static boolean isProjectPermission(String key) {
        return EVERY_ACTIVE_USER.contains(key) || PROJECT_ADMINS.contains(key);
    }

    static boolean isGlobalPermission(String key) {
        return GLOBAL_FOR_EVERY_ACTIVE_USER.contains(key) || GLOBAL_FOR_NOBODY.contains(key);
    }

    /** @param project null when asked without a project: then only what holds in every project counts */
    boolean hasProjectPermission(EmulatedUser user, String permission, EmulatedProject project) {
        if (!user.active()) {
            return false;
        }
        if (EVERY_ACTIVE_USER.contains(permission)) {
            return true;
        }
        if (PROJECT_ADMINS.contains(permission)) {
            return project != null && !user.accountId().equals(appAccountId.get())
                    && project.admins().contains(user.accountId());
        }
        return false;
    }

    boolean hasGlobalPermission(EmulatedUser user, String permission) {
        return user.active() && GLOBAL_FOR_EVERY_ACTIVE_USER.contains(permission);
    }
}
