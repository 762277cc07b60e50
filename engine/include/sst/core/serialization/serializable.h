#ifndef SST_CORE_SERIALIZATION_SERIALIZABLE_H
#define SST_CORE_SERIALIZATION_SERIALIZABLE_H

#include "sst/core/serialization/serializer.h"

namespace SST::Core::Serialization {

class serializable {
public:
    virtual ~serializable() = default;
    virtual void serialize_order(serializer&) {}
};

}  // namespace SST::Core::Serialization

#endif
