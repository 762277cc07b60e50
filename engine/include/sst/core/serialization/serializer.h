// SST 16's serializer: one object walks an element's data four ways (size it, pack it into a
// buffer, unpack it from that buffer, map it for inspection).  Classes describe their data once,
// in serialize_order(), with SST_SER; the serializer's mode decides what each SST_SER does.
//
// Only the API and its semantics follow SST; the byte layout is this engine's own (nothing here
// exchanges buffers with sst-core).  Mapping mode (SST's debug console) is accepted and does
// nothing.
#ifndef SST_CORE_SERIALIZATION_SERIALIZER_H
#define SST_CORE_SERIALIZATION_SERIALIZER_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace SST {

// Options for one SST_SER; SST puts them in namespace SST so element code can spell them short.
using ser_opt_t = uint32_t;

struct SerOption {
    enum Options : ser_opt_t {
        none = 0,
        // Track the address of a non-pointer object, so pointers to it serialized later (with
        // pointer tracking on) come back pointing at the unpacked object.
        as_ptr = 1u << 1,
        // Pass as_ptr on to the elements of a container.
        as_ptr_elem = 1u << 2,
        // Mapping-mode options; mapping is not supported here, so they are accepted and ignored.
        map_read_only = 1u << 3,
        no_map = 1u << 4,
    };

    static constexpr bool is_set(ser_opt_t flags, Options option) { return flags & static_cast<ser_opt_t>(option); }
};

namespace Core::Serialization {

namespace pvt {
// Reports a malformed or overrun buffer (or an unknown class id) and ends the run.
[[noreturn]] void serialization_error(const std::string& what);
}  // namespace pvt

class serializer {
public:
    enum SERIALIZE_MODE : size_t { SIZER = 1, PACK, UNPACK, MAP };
    // Outside the enum, as in SST, so switches over the four modes need no default.
    static constexpr SERIALIZE_MODE UNSTARTED{0};

    serializer() = default;
    serializer(const serializer&) = delete;
    serializer& operator=(const serializer&) = delete;
    ~serializer() = default;

    SERIALIZE_MODE mode() const { return mode_; }

    // Each start_* begins a new pass: the offset and all tracking of the previous pass are dropped.
    void start_sizing() { begin(SIZER, nullptr, 0); }
    void start_packing(char* buffer, size_t size) { begin(PACK, buffer, size); }
    void start_unpacking(char* buffer, size_t size) { begin(UNPACK, buffer, size); }
    // Ends the sequence; releases the shared_ptr owners kept alive while unpacking.
    void finalize() { begin(UNSTARTED, nullptr, 0); }

    // Bytes counted (sizing) or consumed so far (packing, unpacking).
    size_t size() const { return offset_; }

    void enable_pointer_tracking(bool value = true) { tracking_ = value; }
    bool is_pointer_tracking_enabled() const { return tracking_; }

    // Copies `size` bytes between `data` and the buffer, in the direction of the mode.
    void raw(void* data, size_t size) {
        switch (mode_) {
        case SIZER: offset_ += size; break;
        case PACK:
            if (size)
                std::memcpy(reserve(size), data, size);
            break;
        case UNPACK:
            if (size)
                std::memcpy(data, reserve(size), size);
            break;
        default: break;
        }
    }

    // A value whose bytes are its whole state.
    template <typename T>
    void primitive(T& t) {
        static_assert(std::is_trivially_copyable_v<T> && std::is_standard_layout_v<T>,
                      "ser.primitive() needs a trivially copyable, standard-layout type");
        raw(const_cast<std::remove_const_t<T>*>(&t), sizeof(T));
    }
    template <typename T>
    void size(T& t) {
        if (mode_ == SIZER)
            primitive(t);
    }
    template <typename T>
    void pack(T& t) {
        if (mode_ == PACK)
            primitive(t);
    }
    template <typename T>
    void unpack(T& t) {
        if (mode_ == UNPACK)
            primitive(t);
    }

    void string(std::string& str) {
        size_t length = str.size();
        primitive(length);
        if (mode_ == UNPACK)
            str.assign(reserve(length), length);
        else
            raw(str.data(), length);
    }

    // A length-prefixed block of trivially copyable elements; unpacking allocates it with new[]
    // (nullptr when empty).
    template <typename ELEM_T, typename SIZE_T>
    void binary(ELEM_T*& buffer, SIZE_T& size) {
        using E = std::conditional_t<std::is_void_v<ELEM_T>, char, ELEM_T>;
        if (mode_ == UNPACK) {
            size = 0;
            primitive(size);
            if (size == 0) {
                buffer = nullptr;
                return;
            }
            E* block = new E[size];
            raw(block, size * sizeof(E));
            buffer = block;
            return;
        }
        primitive(size);
        raw(const_cast<std::remove_const_t<E>*>(static_cast<const E*>(buffer)), size * sizeof(E));
    }

    // Pre-SST-14 spelling, still found in element code.
    template <typename T>
    serializer& operator&(T& t);

    // ---- Pointer tracking (with tracking on, each object is written once; later pointers to it
    // are written as a reference and unpack to the same new address).  The tag of an object is
    // its address at packing time.

    // Sizing/packing: whether `tag` was written before in this pass; records it if not.
    bool seen_pointer(uintptr_t tag) { return !written_.insert(tag).second; }
    // Unpacking: the new address of the object written with `tag`, or 0.
    uintptr_t find_unpacked(uintptr_t tag) const {
        auto it = unpacked_.find(tag);
        return it == unpacked_.end() ? 0 : it->second;
    }
    void report_real_pointer(uintptr_t tag, uintptr_t real) { unpacked_[tag] = real; }
    // Unpacking: the object about to be read was written with `tag`; whoever allocates it
    // reports its address through report_new_pointer() before reading its members, so members
    // pointing back at it (a handler's object, a cycle) resolve to it.
    void expect_new_pointer(uintptr_t tag) { pending_tag_ = tag; }
    void report_new_pointer(uintptr_t real) {
        if (pending_tag_) {
            unpacked_[pending_tag_] = real;
            pending_tag_ = 0;
        }
    }

    // ---- shared_ptr ownership (always on: shared owners must stay shared whatever the tracking
    // setting).  Owners are numbered from 1 in the order they are first written.

    // Sizing/packing: the number of the owner of `p` (0 when new, after which it is recorded with
    // `base`, the address its contents were written from), and that base.
    std::pair<size_t, uintptr_t> shared_owner(const std::weak_ptr<const void>& p, uintptr_t base) {
        auto [it, fresh] = owners_.try_emplace(p, owners_.size() + 1, base);
        if (fresh)
            return {0, base};
        return it->second;
    }
    // Unpacking: owner `number`, or an empty pointer when it has not been read yet.
    const std::pair<std::shared_ptr<void>, uintptr_t>* unpacked_owner(size_t number) const {
        return number >= 1 && number <= unpacked_owners_.size() ? &unpacked_owners_[number - 1] : nullptr;
    }
    // Unpacking: the next owner, in order of first appearance; returns its number.
    size_t add_unpacked_owner(std::shared_ptr<void> owner, uintptr_t base) {
        unpacked_owners_.emplace_back(std::move(owner), base);
        return unpacked_owners_.size();
    }

private:
    void begin(SERIALIZE_MODE mode, char* buffer, size_t size) {
        mode_ = mode;
        buffer_ = buffer;
        capacity_ = size;
        offset_ = 0;
        pending_tag_ = 0;
        written_.clear();
        unpacked_.clear();
        owners_.clear();
        unpacked_owners_.clear();
    }

    char* reserve(size_t size) {
        if (size > capacity_ - offset_ || offset_ > capacity_)
            pvt::serialization_error("buffer of " + std::to_string(capacity_) + " bytes overrun at offset " +
                                     std::to_string(offset_) + " (+" + std::to_string(size) + ")");
        char* at = buffer_ + offset_;
        offset_ += size;
        return at;
    }

    SERIALIZE_MODE mode_ = UNSTARTED;
    char* buffer_ = nullptr;
    size_t capacity_ = 0;
    size_t offset_ = 0;
    bool tracking_ = false;

    uintptr_t pending_tag_ = 0;
    std::unordered_set<uintptr_t> written_;
    std::unordered_map<uintptr_t, uintptr_t> unpacked_;

    std::map<std::weak_ptr<const void>, std::pair<size_t, uintptr_t>, std::owner_less<>> owners_;
    std::vector<std::pair<std::shared_ptr<void>, uintptr_t>> unpacked_owners_;
};

}  // namespace Core::Serialization
}  // namespace SST

// SST_SER and the serialize_impl specializations; kept in serialize.h as in SST, and included here
// because element headers include serializer.h (through event.h) and expect SST_SER to work.
#include "sst/core/serialization/serialize.h"

#endif
