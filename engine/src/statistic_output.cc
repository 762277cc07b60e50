#include "statistic_output.h"

#include <cinttypes>
#include <cstdio>
#include <string>

namespace SST::Core {

namespace {

// SST's params: outputinlineheader (names before values, default true), outputsimtime and outputrank
// (default false).  The one rank is 0.
class ConsoleOutput final : public StatisticOutput {
public:
    explicit ConsoleOutput(const Params& params)
        : inline_header_(params.find<bool>("outputinlineheader", true)),
          sim_time_(params.find<bool>("outputsimtime", false)), rank_(params.find<bool>("outputrank", false)) {}

    void write(const std::vector<Statistics::StatisticBase*>& stats, SimTime_t now) override {
        std::vector<Statistics::StatisticField> fields;
        for (const Statistics::StatisticBase* stat : stats) {
            fields.clear();
            stat->outputStatisticFields(fields);
            // SST's layout to the byte, trailing space included, so outputs compare with SST's.
            std::string line = " " + stat->getFullStatName() + " : " + stat->getStatTypeName() + " : ";
            if (sim_time_)
                line += (inline_header_ ? "SimTime = " : "") + std::to_string(now) + "; ";
            if (rank_)
                line += inline_header_ ? "Rank = 0; " : "0; ";
            for (const auto& field : fields)
                line += (inline_header_ ? field.name + "." + field.type + " = " : "") + field.value + "; ";
            std::printf("%s\n", line.c_str());
        }
    }

    void flush() override { std::fflush(stdout); }

private:
    bool inline_header_;
    bool sim_time_;
    bool rank_;
};

// Columns: the fixed identification columns, then the union of every statistic's fields in the
// order first seen, so statistics of different types share one header.  A statistic without a
// column's field writes 0 there.
class CsvOutput final : public StatisticOutput {
public:
    CsvOutput(std::FILE* file, std::string separator) : file_(file), separator_(std::move(separator)) {}
    ~CsvOutput() override { std::fclose(file_); }

    void write(const std::vector<Statistics::StatisticBase*>& stats, SimTime_t now) override {
        std::vector<std::vector<Statistics::StatisticField>> rows(stats.size());
        for (size_t i = 0; i < stats.size(); ++i)
            stats[i]->outputStatisticFields(rows[i]);
        if (!header_written_)
            writeHeader(rows);

        for (size_t i = 0; i < stats.size(); ++i) {
            const auto* stat = stats[i];
            std::string line = stat->getCompName() + separator_ + stat->getStatName() + separator_ +
                               stat->getStatSubId() + separator_ + stat->getStatTypeName() + separator_ +
                               std::to_string(now) + separator_ + "0";
            for (const std::string& column : columns_) {
                std::string value = "0";
                for (const auto& field : rows[i])
                    if (columnName(field) == column)
                        value = field.value;
                line += separator_ + value;
            }
            std::fprintf(file_, "%s\n", line.c_str());
        }
    }

    void flush() override { std::fflush(file_); }

private:
    static std::string columnName(const Statistics::StatisticField& field) { return field.name + "." + field.type; }

    void writeHeader(const std::vector<std::vector<Statistics::StatisticField>>& rows) {
        for (const auto& row : rows)
            for (const auto& field : row) {
                const std::string column = columnName(field);
                bool known = false;
                for (const std::string& c : columns_)
                    known = known || c == column;
                if (!known)
                    columns_.push_back(column);
            }
        std::string header = "ComponentName" + separator_ + "StatisticName" + separator_ + "StatisticSubId" +
                             separator_ + "StatisticType" + separator_ + "SimTime" + separator_ + "Rank";
        for (const std::string& column : columns_)
            header += separator_ + column;
        std::fprintf(file_, "%s\n", header.c_str());
        header_written_ = true;
    }

    std::FILE* file_;
    std::string separator_;
    std::vector<std::string> columns_;
    bool header_written_ = false;
};

}  // namespace

std::unique_ptr<StatisticOutput> StatisticOutput::create(const StatisticOutputConfig& config) {
    if (config.type == "sst.statOutputConsole") {
        if (config.params.find<bool>("outputtopheader", false))
            throw ConfigError("sst.statOutputConsole: outputtopheader is not supported by the qemu-sst engine",
                              config.where);
        return std::make_unique<ConsoleOutput>(config.params);
    }
    if (config.type == "sst.statOutputCSV") {
        const std::string path = config.params.find<std::string>("filepath", "./StatisticOutput.csv");
        const std::string separator = config.params.find<std::string>("separator", ", ");
        std::FILE* file = std::fopen(path.c_str(), "w");
        if (file == nullptr)
            throw ConfigError("cannot open statistics file '" + path + "' for writing", config.where);
        return std::make_unique<CsvOutput>(file, separator);
    }
    throw ConfigError("unknown statistic output '" + config.type +
                          "' (known: sst.statOutputConsole, sst.statOutputCSV)",
                      config.where);
}

}  // namespace SST::Core
