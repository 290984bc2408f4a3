// Loads the whole scenarios/ tree, so a broken scenario file fails the build's tests rather than
// a user's run.
#include <gtest/gtest.h>

#include <filesystem>

#include "popspec/harness/loader.hpp"
#include "popspec/store/fixture.hpp"

namespace popspec::harness {
namespace {

TEST(ScenarioTreeTest, EveryScenarioFileInTheRepositoryLoads) {
  std::filesystem::path root = std::filesystem::path(POPSPEC_SOURCE_DIR) / "scenarios";
  requirement_catalog catalog;
  std::string error;
  ASSERT_TRUE(requirement_catalog::load(root / "requirements.json", catalog, error)) << error;
  loader_options options;
  options.fixture_messages = store::standard_messages().size();
  options.folder_messages = store::standard_folder_messages().size();
  options.folder_name = std::string(store::standard_folder_name);
  options.max_errors = 1000;
  auto result = load_scenario_tree(root, catalog, options);
  std::string errors;
  for (const auto& e : result.errors) errors += e.str() + "\n";
  EXPECT_TRUE(result.ok()) << errors;
  EXPECT_GT(result.scenarios.size(), 0u);
}

}  // namespace
}  // namespace popspec::harness
