package dev.skewless.service;

import dev.skewless.store.Fence;
import dev.skewless.store.LeaderLease;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lease for a controller that is alone by construction ({@code skewless dev}, tests): held from
 * the first {@link #tryAcquire()} until {@link #close()}, with fencing token 1. Its listeners hear
 * {@code acquired} once and {@code lost} on close, like a real lease's.
 */
public final class SoleLeaderLease implements LeaderLease {
    private static final long TOKEN = 1;

    private final String holder;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean held = new AtomicBoolean();
    private volatile boolean closed;

    public SoleLeaderLease(String holder) {
        this.holder = holder;
    }

    @Override
    public String holder() {
        return holder;
    }

    @Override
    public boolean tryAcquire() {
        if (closed) {
            return false;
        }
        if (held.compareAndSet(false, true)) {
            listeners.forEach(l -> l.acquired(TOKEN));
        }
        return true;
    }

    @Override
    public boolean renew() {
        return held.get();
    }

    @Override
    public boolean isHeld() {
        return held.get();
    }

    @Override
    public OptionalLong fencingToken() {
        return held.get() ? OptionalLong.of(TOKEN) : OptionalLong.empty();
    }

    @Override
    public Optional<Fence> fence() {
        return held.get() ? Optional.of(new Fence("sole", holder, TOKEN)) : Optional.empty();
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        closed = true;
        if (held.compareAndSet(true, false)) {
            listeners.forEach(Listener::lost);
        }
    }
}
