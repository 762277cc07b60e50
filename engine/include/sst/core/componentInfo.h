#ifndef SST_CORE_COMPONENTINFO_H
#define SST_CORE_COMPONENTINFO_H

#include "sst/core/serialization/serializer.h"
#include "sst/core/sst_types.h"
#include "sst/core/timeConverter.h"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

namespace SST {

// Elements see this class for the share flags of loadUserSubComponent / loadAnonymousSubComponent.
// (The engine's own record of a component is SST::Core::ComponentInfo.)  The rest is the small
// component/subcomponent tree SST 16 offers for its serialization test (test_* members): it lets
// that test build, print and round-trip a hierarchy.
class ComponentInfo {
public:
    // The subcomponent may configure ports of its parent that the configuration connected.
    static constexpr uint64_t SHARE_PORTS = 0x1;
    // A statistic the subcomponent does not document may be one of its parent's, with the
    // parent's settings.
    static constexpr uint64_t SHARE_STATS = 0x2;
    // Statistics the configuration did not enable on the subcomponent are the parent's (they
    // print under the parent's name, shared by every subcomponent that inserts them).
    static constexpr uint64_t INSERT_STATS = 0x4;
    static constexpr uint64_t SHARE_NONE = 0x0;

    ComponentInfo() = default;
    ComponentInfo(ComponentId_t id, const std::string& name, const std::string& slot_name,
                  TimeConverter tv = TimeConverter())
        : id_(id), name_(name), slot_name_(slot_name), default_time_base_(tv) {}

    ComponentId_t getID() const { return id_; }
    const std::string& getName() const { return name_; }
    const std::string& getSlotName() const { return slot_name_; }
    ComponentInfo* getParent() const { return parent_info_; }

    // Adds a child; ids are numbered from 1 across the whole tree, by its root.
    ComponentInfo* test_addSubComponentInfo(const std::string& name, const std::string& slot_name,
                                            TimeConverter tv = TimeConverter()) {
        ComponentInfo* root = this;
        while (root->parent_info_)
            root = root->parent_info_;
        ComponentId_t id = root->next_sub_id_++;
        ComponentInfo& child = sub_components_.try_emplace(id, id, name, slot_name, tv).first->second;
        child.parent_info_ = this;
        return &child;
    }

    // One line per node, children (by id) indented under their parent.
    void test_printComponentInfoHierarchy(int indent = 0) {
        std::printf("%*sid = %" PRIu64 ", name = %s, slot_name = %s", 2 * indent, "", id_, name_.c_str(),
                    slot_name_.c_str());
        if (default_time_base_.isInitialized())
            std::printf(", defaultTimeBase = %" PRI_SIMTIME, default_time_base_.getFactor());
        if (parent_info_)
            std::printf(", parent_id = %" PRIu64, parent_info_->id_);
        std::printf("\n");
        for (auto& [id, child] : sub_components_)
            child.test_printComponentInfoHierarchy(indent + 1);
    }

    // Children are tracked (as_ptr_elem) so their own children's parent pointers find them; the
    // root is serialized with as_ptr by its owner for the same reason.
    void serialize_order(SST::Core::Serialization::serializer& ser) {
        SST_SER(id_);
        SST_SER(name_);
        SST_SER(slot_name_);
        SST_SER(default_time_base_);
        SST_SER(parent_info_);
        SST_SER(next_sub_id_);
        SST_SER(sub_components_, SST::SerOption::as_ptr_elem);
    }

private:
    ComponentId_t id_ = UNSET_COMPONENT_ID;
    std::string name_;
    std::string slot_name_;
    TimeConverter default_time_base_;
    ComponentInfo* parent_info_ = nullptr;
    ComponentId_t next_sub_id_ = 1;
    std::map<ComponentId_t, ComponentInfo> sub_components_;
};

}  // namespace SST

#endif
