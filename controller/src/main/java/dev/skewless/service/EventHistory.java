package dev.skewless.service;

import dev.skewless.engine.ReconcileObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The last {@code capacity} decisions of this replica's engine, newest first on read: what the
 * controller did and why, for {@code /api/v1/apps/{app}/events} and the event stream. Kept in
 * memory only (a ring buffer): it is a window for dashboards, the logs are the record. A standby
 * replica makes no decisions, so its history stays empty until it leads.
 */
public final class EventHistory implements ReconcileObserver {
    /** Default number of decisions kept. */
    public static final int DEFAULT_CAPACITY = 2000;

    private final int capacity;
    private final ArrayDeque<Decision> buffer;
    private final List<Consumer<Decision>> listeners = new CopyOnWriteArrayList<>();

    public EventHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.buffer = new ArrayDeque<>(capacity);
    }

    /** How many decisions are kept at most. */
    public int capacity() {
        return capacity;
    }

    @Override
    public void decided(Decision decision) {
        Objects.requireNonNull(decision, "decision");
        synchronized (buffer) {
            if (buffer.size() == capacity) {
                buffer.removeFirst();
            }
            buffer.addLast(decision);
        }
        for (Consumer<Decision> l : listeners) {
            try {
                l.accept(decision);
            } catch (RuntimeException e) {
                // One broken subscriber (a closed stream) must not cost the others their events.
            }
        }
    }

    /** Up to {@code limit} decisions about {@code app} (all Apps when null), newest first. */
    public List<Decision> recent(String app, int limit) {
        List<Decision> out = new ArrayList<>();
        synchronized (buffer) {
            var it = buffer.descendingIterator();
            while (it.hasNext() && out.size() < limit) {
                Decision d = it.next();
                if (app == null || app.equals(d.app())) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** Hears every new decision; closing the handle stops it. */
    public AutoCloseable subscribe(Consumer<Decision> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }
}
