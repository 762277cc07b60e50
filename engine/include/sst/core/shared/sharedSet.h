#ifndef SST_CORE_SHARED_SHAREDSET_H
#define SST_CORE_SHARED_SHAREDSET_H

#include "sst/core/shared/sharedObject.h"
#include "sst/core/sst_types.h"

#include <cstddef>
#include <set>
#include <string>
#include <type_traits>

namespace SST::Shared {

// A set shared by name, ordered by valT's operator<.  Inserting an item equivalent to one
// already there (neither is less) but not == to it is fatal unless the verify type is
// NO_VERIFY; the first item stays.
template <typename valT>
class SharedSet : public SharedObject {
    static_assert(!std::is_pointer_v<valT>, "Cannot use a pointer type with SharedSet");

    class Data;

public:
    using const_iterator = typename std::set<valT>::const_iterator;
    using const_reverse_iterator = typename std::set<valT>::const_reverse_iterator;

    SharedSet() = default;

    // Binds this instance to the set `obj_name`; all instances must give the same v_type.
    // Returns how many instances had initialized the set before this one.
    int initialize(const std::string& obj_name, verify_type v_type = FE_VERIFY) {
        if (data_)
            Private::getSimulationOutput().fatal(
                CALL_INFO, 1, "ERROR: called initialize() of SharedSet %s more than once\n", obj_name.c_str());
        data_ = getSharedObjectData<Data>(obj_name);
        const int before = incShareCount(data_);
        data_->setVerify(v_type);
        return before;
    }

    size_t size() const { return data_->set.size(); }
    bool empty() const { return data_->set.empty(); }
    size_t count(const valT& value) const { return data_->set.count(value); }
    const_iterator begin() const { return data_->set.cbegin(); }
    const_iterator end() const { return data_->set.cend(); }
    const_reverse_iterator rbegin() const { return data_->set.crbegin(); }
    const_reverse_iterator rend() const { return data_->set.crend(); }

    // This instance has written all it will; later inserts through it are fatal.
    void publish() {
        if (published_)
            return;
        published_ = true;
        incPublishCount(data_);
    }

    bool isFullyPublished() const { return data_->isFullyPublished(); }

    void insert(const valT& value) {
        if (published_)
            Private::getSimulationOutput().fatal(
                CALL_INFO, 1, "ERROR: insert into SharedSet %s after publish() was called\n", data_->getName().c_str());
        data_->insert(value);
    }

    const_iterator find(const valT& value) const { return data_->set.find(value); }
    const_iterator mutex_find(const valT& value) const { return data_->set.find(value); }

    void serialize_order(serializer& ser) override { SharedObject::serialize_order(ser); }

private:
    class Data : public SharedObjectData {
    public:
        explicit Data(const std::string& obj_name) : SharedObjectData(obj_name) {}

        void setVerify(verify_type v_type) {
            if (verify != VERIFY_UNINITIALIZED && v_type != verify)
                Private::getSimulationOutput().fatal(
                    CALL_INFO, 1, "ERROR: Type different verify_types specified for SharedSet %s\n", name.c_str());
            verify = v_type;
        }

        void insert(const valT& value) {
            check_lock_for_write("SharedSet");
            auto [it, inserted] = set.insert(value);
            if (!inserted && verify != NO_VERIFY && !(value == *it))
                Private::getSimulationOutput().fatal(
                    CALL_INFO, 1, "ERROR: wrote two non-equal values to same set item in SharedSet %s\n", name.c_str());
        }

        std::set<valT> set;
        verify_type verify = VERIFY_UNINITIALIZED;
    };

    bool published_ = false;
    Data* data_ = nullptr;
};

}  // namespace SST::Shared

#endif
