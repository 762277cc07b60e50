#include "sst/core/serialization/serializable.h"

#include "fatal_exit.h"

#include <mutex>
#include <string>
#include <unordered_map>

namespace SST::Core::Serialization {

namespace {

struct Registry {
    std::mutex lock;
    std::unordered_map<uint32_t, serializable_builder*> builders;
    std::unordered_map<uint32_t, std::string> names;
};

// Function-local so registration from any library's static initialisers finds it built.
Registry& registry() {
    static Registry* r = new Registry;  // never destroyed: libraries may register during teardown
    return *r;
}

// 32-bit FNV-1a of the mangled name; NullClsId is reserved for "no class".
uint32_t class_hash(const char* name) {
    uint32_t h = 2166136261u;
    for (const char* c = name; *c; ++c)
        h = (h ^ uint8_t(*c)) * 16777619u;
    return h == serializable_base::NullClsId ? h - 1 : h;
}

}  // namespace

uint32_t serializable_factory::add_builder(serializable_builder* builder, const char* name) {
    Registry& r = registry();
    std::lock_guard guard(r.lock);
    uint32_t id = class_hash(name);
    auto [it, fresh] = r.names.try_emplace(id, name);
    if (fresh) {
        r.builders[id] = builder;
    } else if (it->second != name) {
        fatalExit(1, "serializable classes " + it->second + " and " + name + " have the same class id " +
                         std::to_string(id));
    } else {
        delete builder;  // the same class again, from another library
    }
    return id;
}

serializable_base* serializable_factory::get_serializable(uint32_t cls_id) {
    Registry& r = registry();
    serializable_builder* builder = nullptr;
    {
        std::lock_guard guard(r.lock);
        auto it = r.builders.find(cls_id);
        if (it != r.builders.end())
            builder = it->second;
    }
    if (!builder)
        fatalExit(1, "unpacking an object of unknown class id " + std::to_string(cls_id) +
                         " (its class is not in any loaded library)");
    return builder->build();
}

bool serializable_factory::sanity(serializable_base* ser, uint32_t cls_id) {
    Registry& r = registry();
    std::lock_guard guard(r.lock);
    auto it = r.builders.find(cls_id);
    return it != r.builders.end() && it->second->sanity(ser);
}

void serializable_base::serializable_abort(uint32_t line, const char* file, const char* func, const char* obj) {
    fatalExit(1, std::string(obj) + " is not serializable (" + func + " at " + file + ":" + std::to_string(line) + ")");
}

namespace pvt {

void serialization_error(const std::string& what) { fatalExit(1, "serialization: " + what); }

void size_serializable(serializable_base* s, serializer& ser) {
    uint32_t id = s->cls_id();
    ser.primitive(id);
    s->serialize_order(ser);
}

void pack_serializable(serializable_base* s, serializer& ser) {
    uint32_t id = s->cls_id();
    ser.primitive(id);
    s->serialize_order(ser);
}

void unpack_serializable(serializable_base*& s, serializer& ser) {
    uint32_t id = 0;
    ser.primitive(id);
    s = serializable_factory::get_serializable(id);
    // Before its members, so members that point back at it resolve to it.
    ser.report_new_pointer(reinterpret_cast<uintptr_t>(s));
    s->serialize_order(ser);
}

}  // namespace pvt

}  // namespace SST::Core::Serialization
