#ifndef QEMU_SST_ENGINE_ACTIVITY_QUEUE_H
#define QEMU_SST_ENGINE_ACTIVITY_QUEUE_H

#include "sst/core/sst_types.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace SST::Core {

// The time-ordered queue at the heart of the engine.  Activities come out ordered by (time,
// priority, order tag, insertion sequence), SST's order: same-time activities run by priority,
// then by the tag of the link they came on, then first scheduled first run.
//
// Simulations schedule most activities onto a handful of distinct times (clock edges, fixed
// link latencies), so all activities of one (time, priority) share a bucket and only the buckets
// are kept in a 4-ary min-heap.  A bucket holds its activities in (tag, insertion) order: most
// pushes append (tags usually arrive in order, and equal tags keep insertion order), the others
// are placed by binary search.  A push finds its bucket through an open-addressing index of the
// live buckets.  In the common case a push and a pop are O(1).
class ActivityQueue {
public:
    struct Entry {
        SimTime_t time;
        uint8_t priority;
        uintptr_t payload;  // tagged pointer, interpreted by the engine
    };

    ActivityQueue() : index_(kInitialIndexSize, nullptr) {}
    ActivityQueue(const ActivityQueue&) = delete;
    ActivityQueue& operator=(const ActivityQueue&) = delete;

    bool empty() const { return size_ == 0; }
    size_t size() const { return size_; }

    void push(SimTime_t time, uint8_t priority, uintptr_t payload) { push(time, priority, 0, payload); }

    // Same time and priority: lower order tags first (SST's link order tags), then insertion order.
    // The common case stays small enough to inline into a link's send; the rest is out of line.
    void push(SimTime_t time, uint8_t priority, uint32_t tag, uintptr_t payload) {
        Bucket* bucket = last_pushed_;
        if (bucket == nullptr || bucket->time != time || bucket->priority != priority) [[unlikely]]
            bucket = findOrOpen(time, priority);
        auto& items = bucket->items;
        if (items.size() == bucket->head || tag >= items.back().tag) [[likely]]
            items.push_back({tag, payload});
        else
            insertInTagOrder(*bucket, tag, payload);
        ++size_;
    }

    // Time of the next entry.  Not on an empty queue.
    SimTime_t peekTime() { return front()->time; }

    // The next entry, without removing it.  Not on an empty queue.
    Entry peek() {
        Bucket* bucket = front();
        return {bucket->time, bucket->priority, bucket->items[bucket->head].payload};
    }

    // Removes and returns the next entry.  Not on an empty queue.
    Entry pop() {
        Bucket* bucket = front();
        --size_;
        return {bucket->time, bucket->priority, bucket->items[bucket->head++].payload};
    }

    // Removes every entry, passing each payload to drop (for teardown).
    template <class Drop>
    void drain(Drop drop) {
        for (const HeapEntry& entry : heap_) {
            Bucket* bucket = entry.bucket;
            for (size_t i = bucket->head; i < bucket->items.size(); ++i)
                drop(bucket->items[i].payload);
            recycle(bucket);
        }
        heap_.clear();
        size_ = 0;
    }

private:
    struct Item {
        uint32_t tag;
        uintptr_t payload;
    };

    struct Bucket {
        SimTime_t time = 0;
        uint8_t priority = 0;
        size_t head = 0;  // items before head were popped
        std::vector<Item> items;
    };

    // One per live bucket, so (time, priority) orders them completely.
    struct HeapEntry {
        SimTime_t time;
        uint8_t priority;
        Bucket* bucket;
    };

    static constexpr size_t kArity = 4;
    static constexpr size_t kInitialIndexSize = 256;

    static bool before(const HeapEntry& a, const HeapEntry& b) {
        return a.time < b.time || (a.time == b.time && a.priority < b.priority);
    }

    static size_t hashOf(SimTime_t time, uint8_t priority) {
        return static_cast<size_t>(((time << 8) ^ priority) * 0x9E3779B97F4A7C15ull >> 16);
    }

    // The index: linear probing over a power-of-two table at most half full, so that a bucket's
    // (time, priority) always finds it, however many are live.
    Bucket* find(SimTime_t time, uint8_t priority) const {
        const size_t mask = index_.size() - 1;
        for (size_t i = hashOf(time, priority) & mask;; i = (i + 1) & mask) {
            Bucket* b = index_[i];
            if (b == nullptr || (b->time == time && b->priority == priority))
                return b;
        }
    }

    void indexInsert(Bucket* bucket) {
        if (2 * (indexed_ + 1) > index_.size())
            growIndex();
        const size_t mask = index_.size() - 1;
        size_t i = hashOf(bucket->time, bucket->priority) & mask;
        while (index_[i] != nullptr)
            i = (i + 1) & mask;
        index_[i] = bucket;
        ++indexed_;
    }

    // Removes bucket and moves later members of its probe run back, so no lookup meets a gap.
    void indexErase(Bucket* bucket) {
        const size_t mask = index_.size() - 1;
        size_t hole = hashOf(bucket->time, bucket->priority) & mask;
        while (index_[hole] != bucket)
            hole = (hole + 1) & mask;
        index_[hole] = nullptr;
        --indexed_;
        for (size_t i = (hole + 1) & mask; index_[i] != nullptr; i = (i + 1) & mask) {
            const size_t home = hashOf(index_[i]->time, index_[i]->priority) & mask;
            // Movable into the hole unless its home lies cyclically in (hole, i].
            const bool home_after_hole = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!home_after_hole) {
                index_[hole] = index_[i];
                index_[i] = nullptr;
                hole = i;
            }
        }
    }

    void growIndex() {
        std::vector<Bucket*> old(index_.size() * 2, nullptr);
        old.swap(index_);
        indexed_ = 0;
        for (Bucket* b : old)
            if (b != nullptr)
                indexInsert(b);
    }

    // The bucket holding the next entry: drops exhausted buckets off the top first.  (A bucket is
    // left in place when its last entry is popped, so an entry pushed with the same time and
    // priority while that one is being dispatched still lands in it.)
    Bucket* front() {
        Bucket* bucket = heap_.front().bucket;
        if (bucket->head == bucket->items.size()) [[unlikely]]
            bucket = dropExhausted();
        return bucket;
    }

    [[gnu::noinline]] Bucket* dropExhausted() {
        Bucket* bucket = heap_.front().bucket;
        while (bucket->head == bucket->items.size()) {
            removeTop();
            bucket = heap_.front().bucket;
        }
        return bucket;
    }

    [[gnu::noinline]] Bucket* findOrOpen(SimTime_t time, uint8_t priority) {
        Bucket* bucket = find(time, priority);
        if (bucket == nullptr)
            bucket = openBucket(time, priority);
        last_pushed_ = bucket;
        return bucket;
    }

    // After every pending item of a lower or equal tag.
    [[gnu::noinline]] static void insertInTagOrder(Bucket& bucket, uint32_t tag, uintptr_t payload) {
        auto& items = bucket.items;
        const auto pending = items.begin() + static_cast<std::ptrdiff_t>(bucket.head);
        const auto at =
            std::upper_bound(pending, items.end(), tag, [](uint32_t t, const Item& item) { return t < item.tag; });
        if (at == pending && bucket.head > 0)
            items[--bucket.head] = {tag, payload};  // into a popped slot: nothing moves
        else
            items.insert(at, {tag, payload});
    }

    Bucket* openBucket(SimTime_t time, uint8_t priority) {
        Bucket* bucket;
        if (free_.empty()) {
            storage_.push_back(std::make_unique<Bucket>());
            bucket = storage_.back().get();
        } else {
            bucket = free_.back();
            free_.pop_back();
        }
        bucket->time = time;
        bucket->priority = priority;
        indexInsert(bucket);
        const HeapEntry entry{time, priority, bucket};
        heap_.push_back(entry);
        siftUp(heap_.size() - 1, entry);
        return bucket;
    }

    void recycle(Bucket* bucket) {
        if (last_pushed_ == bucket)
            last_pushed_ = nullptr;
        indexErase(bucket);
        bucket->items.clear();
        bucket->head = 0;
        free_.push_back(bucket);
    }

    void removeTop() {
        recycle(heap_.front().bucket);
        const HeapEntry last = heap_.back();
        heap_.pop_back();
        if (!heap_.empty())
            siftDown(0, last);
    }

    void siftUp(size_t hole, const HeapEntry& entry) {
        while (hole > 0) {
            const size_t parent = (hole - 1) / kArity;
            if (!before(entry, heap_[parent]))
                break;
            heap_[hole] = heap_[parent];
            hole = parent;
        }
        heap_[hole] = entry;
    }

    void siftDown(size_t hole, const HeapEntry& entry) {
        const size_t n = heap_.size();
        for (;;) {
            const size_t first = hole * kArity + 1;
            if (first >= n)
                break;
            const size_t end = first + kArity < n ? first + kArity : n;
            size_t best = first;
            for (size_t c = first + 1; c < end; ++c)
                if (before(heap_[c], heap_[best]))
                    best = c;
            if (!before(heap_[best], entry))
                break;
            heap_[hole] = heap_[best];
            hole = best;
        }
        heap_[hole] = entry;
    }

    std::vector<HeapEntry> heap_;
    std::vector<Bucket*> index_;  // live buckets by (time, priority); null: empty slot
    size_t indexed_ = 0;
    Bucket* last_pushed_ = nullptr;  // where the last push went: most pushes go where the last did
    std::vector<std::unique_ptr<Bucket>> storage_;
    std::vector<Bucket*> free_;
    size_t size_ = 0;
};

}  // namespace SST::Core

#endif
