#include "python_config.h"

#include <pybind11/embed.h>
#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include "sst/core/unitAlgebra.h"

#include <cstdio>
#include <filesystem>

namespace py = pybind11;

namespace SST::Core::Runner {

namespace {

// The graph the running script builds; set only while runConfigScript executes it.
ConfigGraph* g_graph = nullptr;

ConfigGraph& graph() {
    if (g_graph == nullptr)
        throw ConfigError("the sst module can only be used from a config run by qemu-sst");
    return *g_graph;
}

// The config line that called into the sst module: the innermost Python frame.
ConfigLocation callerLocation() {
    PyFrameObject* frame = PyEval_GetFrame();
    if (frame == nullptr)
        return {};
    py::handle f(reinterpret_cast<PyObject*>(frame));
    return {py::str(f.attr("f_code").attr("co_filename")), f.attr("f_lineno").cast<int>()};
}

// SST passes every parameter value to components as str(value).
std::string toParamString(py::handle value) { return py::str(value); }

Params toParams(const py::object& dict) {
    Params params;
    if (dict.is_none())
        return params;
    for (auto item : py::cast<py::dict>(dict))
        params.insert(toParamString(item.first), toParamString(item.second));
    return params;
}

struct PyComponent {
    ComponentId_t id;
    ConfigComponent& config() const { return graph().component(id); }
};

// A statistic a config created on a component, for others to feed (SST 16's createStatistic).
struct PyStatistic {
    ComponentId_t owner;
    std::string name;
};

// A port module a config installed (comp.addPortModule); SST returns one to set it up further.
struct PyPortModule {
    ComponentId_t component;
    std::string port;
    size_t index;
    ConfigPortModule& config() const { return graph().component(component).port_modules.at(port).at(index); }
};

struct PyLink {
    size_t id;
    ConfigLink& config() const { return graph().link(id); }
};

// (component, port[, latency])
void connectEnd(ConfigLink& link, const py::tuple& end, const ConfigLocation& where) {
    if (end.size() != 2 && end.size() != 3)
        throw ConfigError("a link end is (component, port) or (component, port, latency)", where);
    const auto& comp = end[0].cast<const PyComponent&>();
    const std::string port = py::str(end[1]);
    const std::string latency = end.size() == 3 && !end[2].is_none() ? std::string(py::str(end[2])) : "";
    graph().connect(link, comp.id, port, latency, where);
}

std::vector<std::string> toStringList(const py::object& list) {
    std::vector<std::string> items;
    for (auto item : list)
        items.push_back(py::str(item));
    return items;
}

// sst.UnitAlgebra raises what SST's does: TypeError for other operand types and mismatched units
// (with SST's wording, which configs check), ValueError for an unknown unit.
UnitAlgebra unitAlgebraFrom(const py::object& value) {
    try {
        if (py::isinstance<py::str>(value))
            return UnitAlgebra(value.cast<std::string>());
        if (py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value))
            return UnitAlgebra(std::string(py::str(value)));
    } catch (const UnitAlgebra::UnitAlgebraException&) {
        throw py::value_error("Invalid unit type: ");
    }
    throw py::type_error("UnitAlgebra takes a string, an int or a float");
}

void requireSameUnits(const UnitAlgebra& a, const UnitAlgebra& b, const char* operation) {
    if (a.getUnits() != b.getUnits())
        throw py::type_error(std::string("Attempting to ") + operation +
                             " UnitAlgebra values with non-matching units: " + a.getUnits().toString() + ", " +
                             b.getUnits().toString());
}

const UnitAlgebra& otherUnitAlgebra(const py::object& other) {
    if (!py::isinstance<UnitAlgebra>(other))
        throw py::type_error("UnitAlgebra operations take another UnitAlgebra");
    return other.cast<const UnitAlgebra&>();
}

// sst.ConfigError; the module holds the reference, which lives as long as the interpreter.
PyObject* g_config_error_type = nullptr;

}  // namespace

PYBIND11_EMBEDDED_MODULE(sst, m) {
    m.doc() = "SST's Python configuration API, as provided by the qemu-sst engine";
    g_config_error_type = py::exception<ConfigError>(m, "ConfigError").ptr();
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const ConfigError& e) {
            PyErr_SetString(g_config_error_type, e.what());
        }
    });

    py::class_<PyComponent>(m, "Component")
        .def(py::init([](const std::string& name, const std::string& type) {
                 return PyComponent{graph().addComponent(name, type, callerLocation()).id};
             }),
             py::arg("name"), py::arg("type"))
        .def("getFullName", [](const PyComponent& c) { return c.config().name; })
        .def("getType", [](const PyComponent& c) { return c.config().type; })
        .def("addParam",
             [](const PyComponent& c, py::handle key, py::handle value) {
                 c.config().addParam(toParamString(key), toParamString(value), callerLocation());
             })
        .def("addParams", [](const PyComponent& c,
                             const py::object& params) { c.config().addParams(toParams(params), callerLocation()); })
        .def("addSharedParamSet",
             [](const PyComponent& c, const std::string& set) {
                 c.config().params.addSharedParamSet(graph().sharedParamSet(set));
             })
        .def(
            "addLink",
            [](const PyComponent& c, const PyLink& link, const std::string& port, const py::object& latency) {
                graph().connect(link.config(), c.id, port, latency.is_none() ? "" : std::string(py::str(latency)),
                                callerLocation());
            },
            py::arg("link"), py::arg("port"), py::arg("latency") = py::none())
        .def(
            "enableAllStatistics",
            [](const PyComponent& c, const py::object& params, bool) {
                c.config().enableAllStatistics(toParams(params), callerLocation());
            },
            py::arg("params") = py::none(), py::arg("apply_to_children") = false)
        .def(
            "enableStatistics",
            [](const PyComponent& c, const py::object& names, const py::object& params, bool) {
                const std::vector<std::string> list =
                    py::isinstance<py::str>(names) ? std::vector<std::string>{py::str(names)} : toStringList(names);
                for (const std::string& name : list)
                    c.config().enableStatistic(name, toParams(params), callerLocation());
            },
            py::arg("stats"), py::arg("params") = py::none(), py::arg("apply_to_children") = false)
        .def(
            "setStatisticLoadLevel",
            [](const PyComponent& c, int level, bool) { c.config().statistic_load_level = level; }, py::arg("level"),
            py::arg("apply_to_children") = false)
        // Placement hints for parallel SST runs: meaningless in one process.
        .def("setRank", [](const PyComponent&, py::args) {})
        .def("setWeight", [](const PyComponent&, py::args) {})
        .def("setCoordinates", [](const PyComponent&, py::args) {})
        .def(
            "createStatistic",
            [](const PyComponent& c, const std::string& name, const py::object& params) {
                c.config().created_statistics[name] = toParams(params);
                return PyStatistic{c.id, name};
            },
            py::arg("name"), py::arg("params") = py::none())
        .def("setStatistic",
             [](const PyComponent& c, const std::string& name, const PyStatistic& stat) {
                 c.config().statistic_links[name] = {stat.owner, stat.name};
             })
        .def(
            "addPortModule",
            [](const PyComponent& c, const std::string& port, const std::string& type, const py::object& params) {
                const size_t index = c.config().addPortModule(port, type, toParams(params), callerLocation());
                return PyPortModule{c.id, port, index};
            },
            py::arg("port"), py::arg("type"), py::arg("params") = py::none())
        .def(
            "setSubComponent",
            [](const PyComponent& c, const std::string& slot, const std::string& type, int slot_num) {
                return PyComponent{graph().addSubComponent(c.id, slot, type, slot_num, callerLocation()).id};
            },
            py::arg("slot_name"), py::arg("type"), py::arg("slot_num") = 0)
        .def("__repr__",
             [](const PyComponent& c) { return "<sst.Component " + c.config().name + " (" + c.config().type + ")>"; });

    py::class_<PyPortModule>(m, "PortModule")
        .def("addParam",
             [](const PyPortModule& pm, py::handle key, py::handle value) {
                 pm.config().params.insert(toParamString(key), toParamString(value));
                 return 0;
             })
        .def("addParams",
             [](const PyPortModule& pm, const py::dict& values) {
                 for (auto item : values)
                     pm.config().params.insert(toParamString(item.first), toParamString(item.second));
                 return values.size();
             })
        .def("addSharedParamSet",
             [](const PyPortModule& pm, const std::string& set) {
                 pm.config().params.addSharedParamSet(graph().sharedParamSet(set));
                 return 0;
             })
        .def("setStatisticLoadLevel",
             [](const PyPortModule& pm, int level) {
                 pm.config().statistic_load_level = level & 0xff;
                 return 0;
             })
        .def(
            "enableAllStatistics",
            [](const PyPortModule& pm, const py::object& params) {
                pm.config().all_statistics_params.insert(toParams(params), true);
                return 0;
            },
            py::arg("params") = py::none())
        .def(
            "enableStatistic",
            [](const PyPortModule& pm, const std::string& name, const py::object& params) {
                pm.config().enabled_statistics[name].insert(toParams(params), true);
                pm.config().enabled_statistics_where[name] = callerLocation();
                return 0;
            },
            py::arg("name"), py::arg("params") = py::none())
        .def(
            "enableStatistics",
            [](const PyPortModule& pm, const py::object& names, const py::object& params) {
                const std::vector<std::string> list =
                    py::isinstance<py::str>(names) ? std::vector<std::string>{py::str(names)} : toStringList(names);
                const ConfigLocation where = callerLocation();
                for (const std::string& name : list) {
                    pm.config().enabled_statistics[name].insert(toParams(params), true);
                    pm.config().enabled_statistics_where[name] = where;
                }
                return 0;
            },
            py::arg("stats"), py::arg("params") = py::none())
        .def("__repr__", [](const PyPortModule& pm) {
            return "<sst.PortModule " + pm.config().type + " on " + graph().component(pm.component).name + "." +
                   pm.port + "[" + std::to_string(pm.index) + "]>";
        });

    py::class_<PyStatistic>(m, "Statistic").def("__repr__", [](const PyStatistic& s) {
        return "<sst.Statistic " + graph().component(s.owner).name + "." + s.name + ">";
    });

    py::class_<PyLink>(m, "Link")
        .def(py::init([](const std::string& name, const py::object& latency) {
                 const std::string text = latency.is_none() ? "" : std::string(py::str(latency));
                 return PyLink{graph().addLink(name, text, callerLocation()).id};
             }),
             py::arg("name"), py::arg("latency") = py::none())
        .def("connect",
             [](const PyLink& link, const py::tuple& first, const py::tuple& second) {
                 const ConfigLocation where = callerLocation();
                 connectEnd(link.config(), first, where);
                 connectEnd(link.config(), second, where);
             })
        .def("getName", [](const PyLink& link) { return link.config().name; })
        .def("setNoCut", [](const PyLink&) {})  // partitioning hint
        .def("__repr__", [](const PyLink& link) { return "<sst.Link " + link.config().name + ">"; });

    m.def("setProgramOption", [](const std::string& name, py::handle value) {
        graph().program_options[name] = toParamString(value);
        return true;
    });
    m.def("setProgramOptions", [](const py::dict& options) {
        for (auto item : options)
            graph().program_options[toParamString(item.first)] = toParamString(item.second);
    });
    m.def("getProgramOptions", []() { return graph().program_options; });

    m.def("addSharedParam", [](const std::string& set, py::handle key, py::handle value) {
        graph().addSharedParam(set, toParamString(key), toParamString(value));
    });
    m.def("addSharedParams", [](const std::string& set, const py::dict& values) {
        for (auto item : values)
            graph().addSharedParam(set, toParamString(item.first), toParamString(item.second));
    });

    m.def(
        "setStatisticOutput",
        [](const std::string& type, const py::object& params) {
            StatisticOutputConfig& output = graph().statistic_output;
            output.type = type;
            output.params = toParams(params);
            output.where = callerLocation();
        },
        py::arg("type"), py::arg("params") = py::none());
    m.def("setStatisticOutputOptions",
          [](const py::object& params) { graph().statistic_output.params.insert(toParams(params), true); });
    m.def(
        "setStatisticLoadLevel", [](int level, bool) { graph().statistic_output.load_level = level; }, py::arg("level"),
        py::arg("apply_to_children") = false);
    m.def(
        "enableAllStatisticsForAllComponents",
        [](const py::object& params, bool) {
            graph().enableAllStatisticsForAllComponents(toParams(params), callerLocation());
        },
        py::arg("params") = py::none(), py::arg("apply_to_children") = false);
    m.def(
        "enableAllStatisticsForComponentType",
        [](const std::string& type, const py::object& params, bool) {
            graph().enableAllStatisticsForComponentType(type, toParams(params), callerLocation());
        },
        py::arg("type"), py::arg("params") = py::none(), py::arg("apply_to_children") = false);
    m.def(
        "enableStatisticForComponentType",
        [](const std::string& type, const std::string& stat, const py::object& params, bool) {
            graph().enableStatisticForComponentType(type, stat, toParams(params), callerLocation());
        },
        py::arg("type"), py::arg("stat"), py::arg("params") = py::none(), py::arg("apply_to_children") = false);
    m.def(
        "enableStatisticsForComponentType",
        [](const std::string& type, const py::object& stats, const py::object& params, bool) {
            for (const std::string& stat : toStringList(stats))
                graph().enableStatisticForComponentType(type, stat, toParams(params), callerLocation());
        },
        py::arg("type"), py::arg("stats"), py::arg("params") = py::none(), py::arg("apply_to_children") = false);

    m.def(
        "setStatisticLoadLevelForComponentType",
        [](const std::string& type, int level, bool) { graph().setStatisticLoadLevelForComponentType(type, level); },
        py::arg("type"), py::arg("level"), py::arg("apply_to_children") = false);

    // By component name, as SST 16 offers them: the component must exist already.
    auto namedComponent = [](const std::string& name, const char* function) -> ConfigComponent& {
        if (ConfigComponent* component = graph().findComponent(name))
            return *component;
        throw py::value_error(std::string("component name not found in call to ") + function + "(): " + name);
    };
    m.def(
        "enableAllStatisticsForComponentName",
        [namedComponent](const std::string& name, const py::object& params, bool) {
            namedComponent(name, "enableAllStatisticsForComponentName")
                .enableAllStatistics(toParams(params), callerLocation());
        },
        py::arg("name"), py::arg("params") = py::none(), py::arg("apply_to_children") = false);
    m.def(
        "enableStatisticForComponentName",
        [namedComponent](const std::string& name, const std::string& stat, const py::object& params, bool) {
            namedComponent(name, "enableStatisticForComponentName")
                .enableStatistic(stat, toParams(params), callerLocation());
        },
        py::arg("name"), py::arg("stat"), py::arg("params") = py::none(), py::arg("apply_to_children") = false);
    m.def(
        "enableStatisticsForComponentName",
        [namedComponent](const std::string& name, const py::object& stats, const py::object& params, bool) {
            ConfigComponent& component = namedComponent(name, "enableStatisticsForComponentName");
            for (const std::string& stat : toStringList(stats))
                component.enableStatistic(stat, toParams(params), callerLocation());
        },
        py::arg("name"), py::arg("stats"), py::arg("params") = py::none(), py::arg("apply_to_children") = false);
    m.def(
        "setStatisticLoadLevelForComponentName",
        [namedComponent](const std::string& name, int level, bool) {
            namedComponent(name, "setStatisticLoadLevelForComponentName").statistic_load_level = level;
        },
        py::arg("name"), py::arg("level"), py::arg("apply_to_children") = false);

    m.def("findComponentByName", [](const std::string& name) -> py::object {
        ConfigComponent* component = graph().findComponent(name);
        return component ? py::cast(PyComponent{component->id}) : py::none();
    });
    py::class_<UnitAlgebra>(m, "UnitAlgebra")
        .def(py::init(&unitAlgebraFrom))
        .def("__add__",
             [](const UnitAlgebra& a, const UnitAlgebra& b) {
                 requireSameUnits(a, b, "add");
                 return a + b;
             })
        .def("__sub__",
             [](const UnitAlgebra& a, const UnitAlgebra& b) {
                 requireSameUnits(a, b, "subtract");
                 return a - b;
             })
        .def("__mul__", [](const UnitAlgebra& a, const UnitAlgebra& b) { return a * b; })
        .def("__truediv__", [](const UnitAlgebra& a, const UnitAlgebra& b) { return a / b; })
        .def("__neg__", [](const UnitAlgebra& a) { return a * -1; })
        .def("__lt__",
             [](const UnitAlgebra& a, const py::object& o) {
                 const UnitAlgebra& b = otherUnitAlgebra(o);
                 requireSameUnits(a, b, "compare");
                 return a < b;
             })
        .def("__le__",
             [](const UnitAlgebra& a, const py::object& o) {
                 const UnitAlgebra& b = otherUnitAlgebra(o);
                 requireSameUnits(a, b, "compare");
                 return a <= b;
             })
        .def("__gt__",
             [](const UnitAlgebra& a, const py::object& o) {
                 const UnitAlgebra& b = otherUnitAlgebra(o);
                 requireSameUnits(a, b, "compare");
                 return a > b;
             })
        .def("__ge__",
             [](const UnitAlgebra& a, const py::object& o) {
                 const UnitAlgebra& b = otherUnitAlgebra(o);
                 requireSameUnits(a, b, "compare");
                 return a >= b;
             })
        // Values with different units are unequal; another type is an error, as in SST.
        .def("__eq__",
             [](const UnitAlgebra& a, const py::object& o) {
                 const UnitAlgebra& b = otherUnitAlgebra(o);
                 return a.getUnits() == b.getUnits() && a == b;
             })
        .def("__ne__",
             [](const UnitAlgebra& a, const py::object& o) {
                 const UnitAlgebra& b = otherUnitAlgebra(o);
                 return a.getUnits() != b.getUnits() || a != b;
             })
        .def("__bool__", [](const UnitAlgebra& a) { return !a.isValueZero(); })
        .def("__int__", [](const UnitAlgebra& a) { return a.getRoundedValue(); })
        .def("__float__", [](const UnitAlgebra& a) { return a.getDoubleValue(); })
        .def("__str__", [](const UnitAlgebra& a) { return a.toString(0); })
        .def("__repr__", [](const UnitAlgebra& a) { return a.toString(0); })
        .def(
            "bestSI", [](const UnitAlgebra& a, int precision) { return a.toStringBestSI(precision); },
            py::arg("precision") = 6)
        .def(
            "precision", [](const UnitAlgebra& a, int precision) { return a.toString(precision); },
            py::arg("precision") = 6)
        .def("hasUnits", &UnitAlgebra::hasUnits)
        .def("isValueZero", &UnitAlgebra::isValueZero)
        .def("getRoundedValue", &UnitAlgebra::getRoundedValue)
        .def("getFloatValue", &UnitAlgebra::getDoubleValue)
        .def("invert", [](const UnitAlgebra& a) {
            UnitAlgebra inverted = a;
            inverted.invert();
            return inverted;
        });

    m.def("getMPIRankCount", []() { return 1; });
    m.def("getThreadCount", []() { return 1; });
}

namespace {

std::string formatPythonException(py::error_already_set& e) {
    py::object format = py::module_::import("traceback").attr("format_exception");
    // An error found while compiling has no traceback: a null handle, which pybind11 cannot pass.
    py::object trace = e.trace() ? py::reinterpret_borrow<py::object>(e.trace()) : py::none();
    std::string text;
    for (auto line : format(e.type(), e.value(), trace))
        text += py::str(line).cast<std::string>();
    return text;
}

// A SyntaxError (or IndentationError) as a config error: FILE:LINE: Kind: message, then the
// offending line with a caret under the column Python points at.
std::string formatSyntaxError(py::error_already_set& e) {
    const py::object error = e.value();
    const py::object file = error.attr("filename");
    const py::object line = error.attr("lineno");
    std::string text = file.is_none() ? std::string("<unknown>") : std::string(py::str(file));
    if (!line.is_none())
        text += ":" + std::string(py::str(line));
    text += ": " + std::string(py::str(e.type().attr("__name__"))) + ": " + std::string(py::str(error.attr("msg")));
    const py::object source = error.attr("text");
    if (source.is_none())
        return text + "\n";
    std::string code = py::str(source);
    while (!code.empty() && (code.back() == '\n' || code.back() == '\r'))
        code.pop_back();
    text += "\n    " + code + "\n";
    const py::object offset = error.attr("offset");
    if (!offset.is_none() && offset.cast<long>() > 0 && size_t(offset.cast<long>()) <= code.size() + 1)
        text += "    " + std::string(size_t(offset.cast<long>()) - 1, ' ') + "^\n";
    return text;
}

}  // namespace

int runConfigScript(const CommandLine& command_line, ConfigGraph& config_graph, bool* stop) {
    *stop = false;
    if (!std::filesystem::is_regular_file(command_line.config_path)) {
        std::fprintf(stderr, "qemu-sst: error: configuration file '%s' not found\n", command_line.config_path.c_str());
        return 1;
    }

    py::scoped_interpreter interpreter;
    g_graph = &config_graph;
    struct ResetGraph {
        ~ResetGraph() { g_graph = nullptr; }
    } reset_graph;

    try {
        py::module_ sys = py::module_::import("sys");
        py::list argv;
        argv.append(command_line.config_path);
        for (const std::string& arg : command_line.script_args)
            argv.append(arg);
        if (!command_line.model_options.empty())
            for (auto arg : py::module_::import("shlex").attr("split")(command_line.model_options))
                argv.append(arg);
        sys.attr("argv") = argv;
        // As `python config.py` would: the config's directory comes first on the import path.
        const std::string dir = std::filesystem::absolute(command_line.config_path).parent_path().string();
        sys.attr("path").attr("insert")(0, dir);

        py::dict globals;
        globals["__name__"] = "__main__";
        globals["__file__"] = command_line.config_path;
        globals["__builtins__"] = py::module_::import("builtins");
        py::eval_file(command_line.config_path, globals);
        return 0;
    } catch (py::error_already_set& e) {
        *stop = true;
        if (e.matches(PyExc_SystemExit)) {
            py::object code = e.value().attr("code");
            if (code.is_none())
                return 0;
            if (py::isinstance<py::int_>(code))
                return code.cast<int>();
            std::fprintf(stderr, "%s\n", std::string(py::str(code)).c_str());
            return 1;
        }
        if (g_config_error_type && e.matches(g_config_error_type)) {
            std::fprintf(stderr, "qemu-sst: error: %s\n", std::string(py::str(e.value())).c_str());
            return 1;
        }
        if (e.matches(PyExc_SyntaxError)) {
            std::fprintf(stderr, "qemu-sst: error: %s", formatSyntaxError(e).c_str());
            return 1;
        }
        std::fprintf(stderr, "qemu-sst: error: the configuration script raised an exception:\n%s",
                     formatPythonException(e).c_str());
        return 1;
    }
}

}  // namespace SST::Core::Runner
