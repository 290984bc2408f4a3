#include "popspec/store/user_db.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

using popspec::store::user_db;
using popspec::store::user_db_errc;

TEST(UserDbTest, ParsesUserPasswordLines) {
  user_db db;
  std::size_t line = 0;
  ASSERT_FALSE(user_db::parse("popspec:popspec-secret\npopspec2:popspec2-secret\n", db, line));
  EXPECT_EQ(db.size(), 2u);
  EXPECT_EQ(db.secret("popspec"), "popspec-secret");
  EXPECT_EQ(db.secret("popspec2"), "popspec2-secret");
  EXPECT_EQ(db.secret("nobody"), std::nullopt);
}

TEST(UserDbTest, PasswordIsEverythingAfterTheFirstColon) {
  user_db db;
  std::size_t line = 0;
  ASSERT_FALSE(user_db::parse("u:a:b c: d \n", db, line));
  EXPECT_EQ(db.secret("u"), "a:b c: d ");
}

TEST(UserDbTest, IgnoresCommentsAndBlankLinesAndAcceptsCrlf) {
  user_db db;
  std::size_t line = 0;
  ASSERT_FALSE(user_db::parse("# accounts\r\n\r\n   \r\nu:p\r\n\t\n#x:y\n", db, line));
  EXPECT_EQ(db.size(), 1u);
  EXPECT_EQ(db.secret("u"), "p");
  EXPECT_EQ(db.secret("#x"), std::nullopt);
}

TEST(UserDbTest, AcceptsLastLineWithoutNewline) {
  user_db db;
  std::size_t line = 0;
  ASSERT_FALSE(user_db::parse("a:1\nb:2", db, line));
  EXPECT_EQ(db.secret("b"), "2");
}

TEST(UserDbTest, ReportsTheOneBasedLineOfAMalformedLine) {
  user_db db;
  db.add("kept", "x");
  std::size_t line = 0;
  auto ec = user_db::parse("# c\na:1\nno colon here\nb:2\n", db, line);
  EXPECT_EQ(ec, user_db_errc::missing_colon);
  EXPECT_EQ(line, 3u);
  // A failed parse leaves the target unchanged.
  EXPECT_EQ(db.secret("kept"), "x");
  EXPECT_EQ(db.secret("a"), std::nullopt);
}

TEST(UserDbTest, RefusesEmptyUserEmptyPasswordUnsafeUserAndDuplicates) {
  user_db db;
  std::size_t line = 0;
  EXPECT_EQ(user_db::parse(":pw\n", db, line), user_db_errc::missing_colon);
  EXPECT_EQ(line, 1u);
  EXPECT_EQ(user_db::parse("ok:1\nu:\n", db, line), user_db_errc::empty_password);
  EXPECT_EQ(line, 2u);
  EXPECT_EQ(user_db::parse("../etc:pw\n", db, line), user_db_errc::unsafe_user);
  EXPECT_EQ(user_db::parse(" u:pw\n", db, line), user_db_errc::unsafe_user);
  EXPECT_EQ(user_db::parse("u:1\n\nu:2\n", db, line), user_db_errc::duplicate_user);
  EXPECT_EQ(line, 3u);
}

TEST(UserDbTest, EmptyTextGivesAnEmptyDatabase) {
  user_db db;
  std::size_t line = 0;
  EXPECT_FALSE(user_db::parse("", db, line));
  EXPECT_TRUE(db.empty());
}

class UserDbFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("popspec-user-db-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    auto path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(UserDbFileTest, LoadsAFile) {
  user_db db;
  std::string message;
  ASSERT_FALSE(user_db::load(write("users.txt", "popspec:popspec-secret\n"), db, message));
  EXPECT_EQ(db.secret("popspec"), "popspec-secret");
}

TEST_F(UserDbFileTest, LoadErrorNamesFileAndLine) {
  user_db db;
  std::string message;
  const auto path = write("users.txt", "a:1\nb:2\nbad\n");
  EXPECT_EQ(user_db::load(path, db, message), user_db_errc::missing_colon);
  EXPECT_EQ(message, path + ":3: expected user:password");
}

TEST_F(UserDbFileTest, LoadOfAMissingFileSaysWhy) {
  user_db db;
  std::string message;
  const auto path = (dir_ / "absent.txt").string();
  EXPECT_EQ(user_db::load(path, db, message), user_db_errc::unreadable);
  EXPECT_EQ(message, path + ": cannot read: No such file or directory");
}
