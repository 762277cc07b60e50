#ifndef QEMU_SST_ENGINE_ACTIVITY_QUEUE_H
#define QEMU_SST_ENGINE_ACTIVITY_QUEUE_H

#include "sst/core/sst_types.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace SST::Core {

// The time-ordered queue at the heart of the engine.  Activities come out ordered by (time,
// priority, insertion sequence), so same-time activities run in a reproducible order: by
// priority, then first scheduled first run.
//
// Simulations schedule most activities onto a handful of distinct times (clock edges, fixed
// link latencies), so activities with equal (time, priority) share a FIFO bucket and only the
// buckets are kept in a 4-ary min-heap.  A push finds its bucket through a small direct-mapped
// cache of the newest bucket per key; on a miss it opens a new bucket, ordered after any older
// bucket of the same key, which keeps FIFO order without a full index.  In the common case a
// push and a pop are O(1).
class ActivityQueue {
public:
    struct Entry {
        SimTime_t time;
        uint8_t priority;
        uintptr_t payload;  // tagged pointer, interpreted by the engine
    };

    ActivityQueue() = default;
    ActivityQueue(const ActivityQueue&) = delete;
    ActivityQueue& operator=(const ActivityQueue&) = delete;

    bool empty() const { return size_ == 0; }
    size_t size() const { return size_; }

    void push(SimTime_t time, uint8_t priority, uintptr_t payload) { push(time, priority, 0, payload); }

    // Same time and priority: lower order tags first (SST's link order tags), then insertion order.
    void push(SimTime_t time, uint8_t priority, uint32_t tag, uintptr_t payload) {
        const uint64_t key = (uint64_t(priority) << 32) | tag;
        Bucket*& newest = newest_[slotFor(time, key)];
        Bucket* bucket = newest;
        if (bucket == nullptr || bucket->time != time || bucket->key != key) {
            bucket = openBucket(time, key);
            newest = bucket;
        }
        bucket->items.push_back(payload);
        ++size_;
    }

    // Time of the next entry.  Not on an empty queue.
    SimTime_t peekTime() { return front()->time; }

    // The next entry, without removing it.  Not on an empty queue.
    Entry peek() {
        Bucket* bucket = front();
        return {bucket->time, priorityOf(bucket->key), bucket->items[bucket->head]};
    }

    // Removes and returns the next entry.  Not on an empty queue.
    Entry pop() {
        Bucket* bucket = front();
        --size_;
        return {bucket->time, priorityOf(bucket->key), bucket->items[bucket->head++]};
    }

    // Removes every entry, passing each payload to drop (for teardown).
    template <class Drop>
    void drain(Drop drop) {
        for (const HeapEntry& entry : heap_) {
            Bucket* bucket = entry.bucket;
            for (size_t i = bucket->head; i < bucket->items.size(); ++i)
                drop(bucket->items[i]);
            recycle(bucket);
        }
        heap_.clear();
        size_ = 0;
    }

private:
    struct Bucket {
        SimTime_t time = 0;
        uint64_t key = 0;  // priority << 32 | order tag
        size_t head = 0;   // items before head were popped
        std::vector<uintptr_t> items;
    };

    struct HeapEntry {
        SimTime_t time;
        uint64_t key;       // priority << 32 | order tag
        uint64_t sequence;  // of the bucket: insertion order among equal keys
        Bucket* bucket;
    };

    static constexpr size_t kArity = 4;
    static constexpr unsigned kCacheBits = 8;

    static uint8_t priorityOf(uint64_t key) { return uint8_t(key >> 32); }

    static size_t slotFor(SimTime_t time, uint64_t key) {
        return ((time ^ (key << 16) ^ (key >> 32 << 56)) * 0x9E3779B97F4A7C15ull) >> (64 - kCacheBits);
    }

    static bool before(const HeapEntry& a, const HeapEntry& b) {
        using u128 = unsigned __int128;
        const u128 ka = (u128(a.time) << 64) | a.key;
        const u128 kb = (u128(b.time) << 64) | b.key;
        return ka < kb || (ka == kb && a.sequence < b.sequence);
    }

    // The bucket holding the next entry: drops exhausted buckets off the top first.  (A bucket is
    // left in place when its last entry is popped, so an entry pushed with the same key while
    // that one is being dispatched still lands in it.)
    Bucket* front() {
        Bucket* bucket = heap_.front().bucket;
        while (bucket->head == bucket->items.size()) {
            removeTop();
            bucket = heap_.front().bucket;
        }
        return bucket;
    }

    Bucket* openBucket(SimTime_t time, uint64_t key) {
        Bucket* bucket;
        if (free_.empty()) {
            storage_.push_back(std::make_unique<Bucket>());
            bucket = storage_.back().get();
        } else {
            bucket = free_.back();
            free_.pop_back();
        }
        bucket->time = time;
        bucket->key = key;
        const HeapEntry entry{time, key, next_sequence_++, bucket};
        heap_.push_back(entry);
        siftUp(heap_.size() - 1, entry);
        return bucket;
    }

    void recycle(Bucket* bucket) {
        Bucket*& newest = newest_[slotFor(bucket->time, bucket->key)];
        if (newest == bucket)
            newest = nullptr;
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
    std::array<Bucket*, size_t(1) << kCacheBits> newest_{};
    std::vector<std::unique_ptr<Bucket>> storage_;
    std::vector<Bucket*> free_;
    uint64_t next_sequence_ = 0;
    size_t size_ = 0;
};

}  // namespace SST::Core

#endif
