// The names a job's files are stored under: sanitized, and unique within the job even where
// sanitizing makes different names equal ("a:b" and "a_b", "x." and "x", case).
#pragma once
#include <string>
#include <vector>

namespace tseeder {

// One stored name per untrusted relative path, in the same order: sanitize_relative_path's result
// unless an earlier file (or directory) already has that name, compared without regard to ASCII
// case; then " (2)", " (3)", … goes before the extension. Files of one directory stay together,
// and no file is named like a directory. The same list always gives the same names, so every
// party that sees a job's file list (the daemon, an agent) names its files alike.
std::vector<std::string> unique_relative_paths(const std::vector<std::string>& untrusted);

}  // namespace tseeder
