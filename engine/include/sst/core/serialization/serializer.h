// This engine never checkpoints, so serialization is a compile-time shape only: events keep the
// serialize_order() / SST_SER / ImplementSerializable code they need under real SST, and here it
// all reduces to nothing.
#ifndef SST_CORE_SERIALIZATION_SERIALIZER_H
#define SST_CORE_SERIALIZATION_SERIALIZER_H

namespace SST::Core::Serialization {

class serializer {
public:
    enum SERIALIZE_MODE { SIZER, PACK, UNPACK, MAP };

    SERIALIZE_MODE mode() const { return SIZER; }

    template <class T>
    serializer& operator&(T&) {
        return *this;
    }
};

}  // namespace SST::Core::Serialization

#define SST_SER(obj, ...) (ser & (obj))
#define SST_SER_NAME(obj, name, ...) (ser & (obj))
#define ImplementSerializable(obj)
#define ImplementVirtualSerializable(obj)
#define NotSerializable(obj)

#endif
