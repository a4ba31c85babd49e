// tseeder select ID LIST | set ID [--download-limit R] [--upload-limit R] [--[no-]sequential]
#include <iostream>
#include <set>

#include "commands/commands.h"
#include "core/error.h"
#include "job_options_args.h"
#include "output.h"

namespace tseeder::cli {

void add_selection_commands(CLI::App& app, Context& ctx) {
  {
    auto* cmd = app.add_subcommand(
        "select", "choose which files of a job to fetch; the others are skipped (a completed job fetches those added)");
    auto id = std::make_shared<std::string>();
    auto list = std::make_shared<std::string>();
    auto priority = std::make_shared<std::string>();
    cmd->add_option("id", *id, "job id")->required();
    cmd->add_option("files", *list, "file indexes to fetch, as in `tseeder files`: 0,3-5")->required();
    cmd->add_option("--priority", *priority, "priority of the chosen files")
        ->check(CLI::IsMember({"low", "normal", "high"}));
    cmd->callback([&ctx, id, list, priority] {
      const Json wanted_list = index_list_arg(*list);
      const std::set<std::uint64_t> wanted(wanted_list.begin(), wanted_list.end());
      const Json current = ctx.call_all(ctx.job_path(*id, "/files"), "files");
      if (!wanted.empty() && *wanted.rbegin() >= current.size())
        throw Error(Errc::invalid_argument,
                    "file " + std::to_string(*wanted.rbegin()) + " does not exist; the job has " +
                        std::to_string(current.size()) + " file(s)",
                    "see `tseeder files " + *id + "`");
      Json changes = Json::array();
      for (std::uint64_t i = 0; i < current.size(); ++i) {
        // Stored files stay with the job (one completed earlier fetches only what is added).
        const bool want = wanted.count(i) > 0 || current[i].value("id", Json()).is_number();
        const bool is_wanted = current[i].value("wanted", true);
        Json change{{"index", i}};
        if (want != is_wanted) change["wanted"] = want;
        if (want && !priority->empty() && current[i].value("priority", "") != *priority) change["priority"] = *priority;
        if (change.size() > 1) changes.push_back(change);
      }
      Json files = changes.empty()
                       ? current
                       : ctx.rest_of(ctx.call("PATCH", ctx.job_path(*id, "/files"), Json{{"files", changes}}), "files");
      ctx.json ? print_json(Json{{"files", files}}) : print_files(files);
    });
  }
  {
    auto* cmd = app.add_subcommand("set", "change a job's rate limits or sequential order");
    auto id = std::make_shared<std::string>();
    auto opts = std::make_shared<OptionFlags>();
    cmd->add_option("id", *id, "job id")->required();
    add_option_flags(cmd, *opts);
    cmd->callback([&ctx, id, opts] {
      Json body = Json::object();
      options_body(*opts, body);
      if (body.empty())
        throw Error(Errc::invalid_argument, "nothing to change",
                    "give --download-limit, --upload-limit, --sequential or --no-sequential");
      auto job = ctx.call("PATCH", ctx.job_path(*id), body);
      if (ctx.json) return print_json(job);
      std::cout << job.value("id", "") << " " << options_text(job["options"]) << "\n";
    });
  }
}

}  // namespace tseeder::cli
