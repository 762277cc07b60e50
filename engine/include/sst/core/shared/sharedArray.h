#ifndef SST_CORE_SHARED_SHAREDARRAY_H
#define SST_CORE_SHARED_SHAREDARRAY_H

#include "sst/core/serialization/serializable.h"
#include "sst/core/shared/sharedObject.h"
#include "sst/core/sst_types.h"

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

namespace SST::Shared {

// An array shared by name.  Each instance asks for the length it writes; the array is as long as
// the longest request.  T = bool is stored as std::vector<bool>, so reads of it return bool by
// value as SST's specialisation does.
template <typename T>
class SharedArray : public SharedObject {
    static_assert(!std::is_pointer_v<T>, "Cannot use a pointer type with SharedArray");

    class Data;

public:
    using const_iterator = typename std::vector<T>::const_iterator;
    using const_reverse_iterator = typename std::vector<T>::const_reverse_iterator;
    using const_reference = typename std::vector<T>::const_reference;

    SharedArray() = default;

    // Binds this instance to the array `obj_name`.  length 0 means this instance writes
    // nothing; otherwise every instance giving a length must give the same init_value and
    // v_type.  Returns how many instances had initialized the array before this one.
    int initialize(const std::string& obj_name, size_t length = 0, T init_value = T(),
                   verify_type v_type = INIT_VERIFY) {
        if (data_)
            Private::getSimulationOutput().fatal(
                CALL_INFO, 1, "ERROR: called initialize() of SharedArray %s more than once\n", obj_name.c_str());
        if (v_type == VERIFY_UNINITIALIZED)
            Private::getSimulationOutput().fatal(CALL_INFO, 1,
                                                 "ERROR: VERIFY_UNINITIALIZED passed into instance of SharedArray %s.  "
                                                 "This is a reserved value and cannot be passed in here. \n",
                                                 obj_name.c_str());
        data_ = getSharedObjectData<Data>(obj_name);
        const int before = incShareCount(data_);
        if (length != 0)
            data_->setSize(length, init_value, v_type);
        return before;
    }

    size_t size() const { return data_->array.size(); }
    bool empty() const { return data_->array.empty(); }
    const_iterator begin() const { return data_->array.cbegin(); }
    const_iterator end() const { return data_->array.cend(); }
    const_reverse_iterator rbegin() const { return data_->array.crbegin(); }
    const_reverse_iterator rend() const { return data_->array.crend(); }

    // This instance has written all it will; later writes through it are fatal.
    void publish() {
        if (published_)
            return;
        published_ = true;
        incPublishCount(data_);
    }

    bool isFullyPublished() const { return data_->isFullyPublished(); }

    void write(int index, const T& value) {
        if (published_)
            Private::getSimulationOutput().fatal(
                CALL_INFO, 1, "ERROR: write to SharedArray %s after publish() was called\n", data_->getName().c_str());
        data_->write(index, value);
    }

    const_reference operator[](int index) const { return data_->array[index]; }
    // One thread here, so the same as operator[]; kept for SST's API.
    const_reference mutex_read(int index) const { return data_->array[index]; }

    void serialize_order(serializer& ser) override { SharedObject::serialize_order(ser); }

private:
    class Data : public SharedObjectData {
    public:
        explicit Data(const std::string& obj_name) : SharedObjectData(obj_name) {}

        void setSize(size_t length, const T& init_value, verify_type v_type) {
            if (length > array.size()) {
                array.resize(length, init_value);
                if (v_type == FE_VERIFY)
                    written.resize(length);
            }
            // The first instance with a length fixes init and verify for all the others.
            if (verify != VERIFY_UNINITIALIZED) {
                if (!(init == init_value))
                    Private::getSimulationOutput().fatal(
                        CALL_INFO, 1, "ERROR: Two different init_data values passed into SharedArray %s\n",
                        name.c_str());
                if (verify != v_type)
                    Private::getSimulationOutput().fatal(
                        CALL_INFO, 1, "ERROR: Two different verify types passed into SharedArray %s\n", name.c_str());
            }
            init = init_value;
            verify = v_type;
        }

        void write(int index, const T& value) {
            check_lock_for_write("SharedArray");
            // SST leaves an index beyond the length undefined; say so instead of corrupting memory.
            if (index < 0 || static_cast<size_t>(index) >= array.size())
                Private::getSimulationOutput().fatal(CALL_INFO, 1,
                                                     "ERROR: write to index %d of SharedArray %s, which has %zu "
                                                     "entries\n",
                                                     index, name.c_str(), array.size());
            bool was_set = false;
            if (verify == FE_VERIFY)
                was_set = written[index];
            else if (verify == INIT_VERIFY)
                was_set = array[index] != init;
            if (was_set && array[index] != value)
                Private::getSimulationOutput().fatal(
                    CALL_INFO, 1, "ERROR: wrote two different values to index %d of SharedArray %s\n", index,
                    name.c_str());
            array[index] = value;
            if (verify == FE_VERIFY)
                written[index] = true;
        }

        std::vector<T> array;
        std::vector<bool> written;  // FE_VERIFY's full/empty bits
        T init{};
        verify_type verify = VERIFY_UNINITIALIZED;
    };

    bool published_ = false;
    Data* data_ = nullptr;
};

}  // namespace SST::Shared

#endif
