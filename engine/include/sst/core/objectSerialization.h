// One-call serialization into a byte vector and back (SST::Comms), without pointer tracking.
#ifndef SST_CORE_OBJECTSERIALIZATION_H
#define SST_CORE_OBJECTSERIALIZATION_H

#include "sst/core/serialization/serializer.h"

#include <vector>

namespace SST::Comms {

template <typename dataType>
std::vector<char> serialize(dataType& data) {
    SST::Core::Serialization::serializer ser;
    ser.start_sizing();
    SST_SER(data);
    std::vector<char> buffer(ser.size());
    ser.start_packing(buffer.data(), buffer.size());
    SST_SER(data);
    ser.finalize();
    return buffer;
}

// A new object unpacked from `buffer` (nullptr if it was packed from a null pointer).
template <typename dataType>
dataType* deserialize(std::vector<char>& buffer) {
    dataType* target = nullptr;
    SST::Core::Serialization::serializer ser;
    ser.start_unpacking(buffer.data(), buffer.size());
    SST_SER(target);
    ser.finalize();
    return target;
}

template <typename dataType>
void deserialize(std::vector<char>& buffer, dataType& target) {
    SST::Core::Serialization::serializer ser;
    ser.start_unpacking(buffer.data(), buffer.size());
    SST_SER(target);
    ser.finalize();
}

template <typename dataType>
void deserialize(char* buffer, int length, dataType& target) {
    SST::Core::Serialization::serializer ser;
    ser.start_unpacking(buffer, size_t(length));
    SST_SER(target);
    ser.finalize();
}

}  // namespace SST::Comms

#endif
