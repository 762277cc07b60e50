#ifndef SST_CORE_SERIALIZATION_SERIALIZABLE_H
#define SST_CORE_SERIALIZATION_SERIALIZABLE_H

// serializable and ImplementSerializable live in serializable_base.h; SST_SER in serialize.h.
#include "sst/core/serialization/serializable_base.h"
#include "sst/core/serialization/serialize.h"

#endif
