//! The event queue at the heart of the discrete-event simulation.
//!
//! Events are ordered by `(time, seq)`: earlier time first, and among events
//! scheduled for the same instant, the one scheduled first runs first (FIFO).
//! `seq` is a counter incremented on every `schedule`, so the order never
//! depends on heap internals or on the platform.
//!
//! An event scheduled for the very instant of the last event popped (a hop
//! with no network delay, an answer passed straight back, a request started
//! on arrival) goes to a FIFO lane beside the heap instead of into it,
//! unless the lane still holds events of another instant (an event
//! scheduled in the past, once popped, moves that instant back). All the
//! lane holds are then of one time and were scheduled in `seq` order, so
//! the lane is sorted by construction, and popping the smaller `(time, seq)`
//! of the heap's top and the lane's front gives exactly the order of one
//! heap, with fewer heap operations.

use crate::time::Nanos;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// A pending event with its firing time [ns] and insertion sequence number.
#[derive(Debug)]
struct Scheduled<E> {
    time: Nanos,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Scheduled<E> {}
impl<E> PartialOrd for Scheduled<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Scheduled<E> {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest event.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// A priority queue of events ordered by `(time, insertion sequence)`.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Scheduled<E>>,
    /// Events of one instant, in the order scheduled (see the module
    /// documentation).
    lane: VecDeque<Scheduled<E>>,
    /// The time [ns] of the last event popped (0 before any).
    now: Nanos,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self {
            heap: BinaryHeap::new(),
            lane: VecDeque::new(),
            now: 0,
            next_seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Schedules `event` to fire at absolute simulated time `time` [ns].
    ///
    /// Always inlined: called out of line, the event is handed over in
    /// memory its caller has just written field by field and read back in
    /// wider pieces, which the CPU cannot forward from its store buffer (a
    /// sixth of the M/M/1 benchmark stalled on that load, in `perf`).
    #[inline(always)]
    pub fn schedule(&mut self, time: Nanos, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let item = Scheduled { time, seq, event };
        // Only the current instant, and only while the lane holds nothing
        // else: an event scheduled in the past and popped moves `now` back
        // while the lane may still hold later ones.
        if time == self.now && self.lane.back().is_none_or(|b| b.time == time) {
            self.lane.push_back(item);
        } else {
            self.heap.push(item);
        }
    }

    /// The firing time [ns] of the earliest pending event, if any.
    pub fn peek_time(&self) -> Option<Nanos> {
        match (self.lane.front(), self.heap.peek()) {
            (Some(l), Some(h)) => Some(l.time.min(h.time)),
            (l, h) => l.or(h).map(|s| s.time),
        }
    }

    /// Removes and returns the earliest pending event with its time [ns].
    pub fn pop(&mut self) -> Option<(Nanos, E)> {
        let lane_first = match (self.lane.front(), self.heap.peek()) {
            (Some(l), Some(h)) => (l.time, l.seq) < (h.time, h.seq),
            (l, _) => l.is_some(),
        };
        let next = if lane_first {
            self.lane.pop_front()
        } else {
            self.heap.pop()
        }?;
        self.now = next.time;
        Some((next.time, next.event))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() + self.lane.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty() && self.lane.is_empty()
    }

    /// Total number of events ever scheduled on this queue.
    pub fn scheduled_total(&self) -> u64 {
        self.next_seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_time_events_run_in_insertion_order() {
        let mut q = EventQueue::new();
        q.schedule(50, "b1");
        q.schedule(10, "a");
        q.schedule(50, "b2");
        q.schedule(50, "b3");
        q.schedule(70, "c");
        q.schedule(50, "b4");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![
                (10, "a"),
                (50, "b1"),
                (50, "b2"),
                (50, "b3"),
                (50, "b4"),
                (70, "c")
            ]
        );
    }

    #[test]
    fn events_scheduled_while_draining_keep_fifo_at_equal_times() {
        let mut q = EventQueue::new();
        q.schedule(5, 1);
        q.schedule(5, 2);
        let (t, first) = q.pop().unwrap();
        assert_eq!((t, first), (5, 1));
        // Scheduled later, at the same instant: must run after the older `2`.
        q.schedule(5, 3);
        assert_eq!(q.pop(), Some((5, 2)));
        assert_eq!(q.pop(), Some((5, 3)));
        assert!(q.is_empty());
        assert_eq!(q.scheduled_total(), 3);
    }

    /// The same-instant lane must not change the order: against a plain
    /// list popped by smallest `(time, seq)`, over events scheduled at the
    /// instant being drained (the lane), later (the heap) and in the past
    /// (which moves the clock back while the lane holds later events).
    #[test]
    fn the_same_instant_lane_keeps_the_order_of_one_heap() {
        let mut q = EventQueue::new();
        let mut reference: Vec<(Nanos, u64)> = Vec::new();
        let mut seq = 0u64;
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut draw = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut now = 0;
        let mut popped = 0;
        while popped < 20_000 {
            for _ in 0..draw(3) {
                let time = match draw(10) {
                    0..=4 => now,
                    5..=8 => now + 1 + draw(50),
                    _ => now.saturating_sub(draw(5)),
                };
                q.schedule(time, seq);
                reference.push((time, seq));
                seq += 1;
            }
            assert_eq!(q.len(), reference.len());
            let Some(i) = (0..reference.len()).min_by_key(|&i| reference[i]) else {
                assert_eq!(q.pop(), None);
                q.schedule(now + 1, seq);
                reference.push((now + 1, seq));
                seq += 1;
                continue;
            };
            let expected = reference.swap_remove(i);
            assert_eq!(q.peek_time(), Some(expected.0));
            assert_eq!(q.pop(), Some(expected));
            now = expected.0;
            popped += 1;
        }
        assert!(q.lane.len() + q.heap.len() == reference.len());
    }
}
