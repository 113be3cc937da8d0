package dev.skewless.store;

import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;

/**
 * A {@link VersionStore} that can make a status write conditional on a {@link Fence} atomically,
 * in the same request as the write (not check-then-write, which a paused replica could pass
 * and then write late).
 */
public interface FenceableVersionStore extends VersionStore {

    /**
     * Like {@link #writeAppStatus(String, AppStatus)}, only while {@code fence} holds.
     *
     * @throws LeaseLostException     when the fence no longer holds
     * @throws StoreConflictException when the App no longer exists
     */
    void writeAppStatus(String app, AppStatus status, Fence fence);

    /**
     * Like {@link #writeVersionStatus(VersionKey, AppVersionStatus)}, only while {@code fence}
     * holds.
     *
     * @throws LeaseLostException     when the fence no longer holds
     * @throws StoreConflictException when the version no longer exists
     */
    void writeVersionStatus(VersionKey key, AppVersionStatus status, Fence fence);
}
