// A ring node for engine benchmarks: forwards every event it receives (the same Event object) to
// the next node, and puts `events` of its own in flight at setup.  Built for the embedded engine
// (engine_bench links it in; libbenchring for configs) and for an installed sst-core, so both run
// the same element (bench/engine/engine_vs_sst_core.py).
#include <sst/core/sst_config.h>

#include <sst/core/component.h>
#include <sst/core/link.h>

namespace QemuSst {

class RingNode : public SST::Component {
public:
    SST_ELI_REGISTER_COMPONENT(RingNode, "benchring", "ring", SST_ELI_ELEMENT_VERSION(1, 0, 0),
                               "Forwards every event to the next node", COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"events", "events this node puts in flight at setup", "4"})
    SST_ELI_DOCUMENT_PORTS({"next", "to the next node", {}}, {"prev", "from the previous node", {}})

    RingNode(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) {
        events_ = params.find<int>("events", 4);
        next_ = configureLink("next");
        configureLink("prev", new SST::Event::Handler<RingNode, &RingNode::forward>(this));
    }

    void setup() override {
        for (int i = 0; i < events_; ++i)
            next_->send(new SST::EmptyEvent());
    }

private:
    void forward(SST::Event* event) { next_->send(event); }

    int events_;
    SST::Link* next_;
};

}  // namespace QemuSst
