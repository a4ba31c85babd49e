// The exit codes the CLI documents (--help, and the man page made from it) are exactly the ones
// it can return.
#include "exit_codes.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

namespace tseeder::cli {
namespace {

std::set<int> documented() {
  std::set<int> codes;
  const std::string help = exit_codes_help();
  static const std::regex line(R"(\n\s*(\d+)  )");
  for (std::sregex_iterator it(help.begin(), help.end(), line), end; it != end; ++it) codes.insert(std::stoi((*it)[1]));
  return codes;
}

std::set<int> returnable() {
  // Besides errors: success, a command-line parse error (main.cc), a job that ended badly
  // (watch, add --wait) and what admin health found.
  std::set<int> codes{kExitOk, kExitUsage, kExitJobFailed, kExitHealthDegraded, kExitHealthDown};
  for (int i = 0; i <= static_cast<int>(Errc::not_implemented); ++i) codes.insert(exit_code_for(static_cast<Errc>(i)));
  return codes;
}

TEST(ExitCodesTest, DocumentedCodesAreTheOnesTheCodeReturns) {
  EXPECT_EQ(documented(), returnable());
}

TEST(ExitCodesTest, NotImplementedRoutesExitSeven) {
  EXPECT_EQ(exit_code_for(Errc::not_implemented), 7);
  EXPECT_EQ(exit_code_for(Errc::unsupported), kExitUsage);
}

}  // namespace
}  // namespace tseeder::cli
