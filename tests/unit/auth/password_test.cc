#include "auth/password.h"

#include <argon2.h>
#include <gtest/gtest.h>

#include "core/error.h"

namespace tseeder::auth {
namespace {

TEST(Password, HashesWithArgon2idAtTheOwaspFloorAndVerifies) {
  auto h = hash_password("correct horse battery");
  EXPECT_EQ(h.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << h;
  EXPECT_TRUE(verify_password(h, "correct horse battery"));
  EXPECT_FALSE(verify_password(h, "correct horse batterY"));
  EXPECT_FALSE(verify_password(h, ""));
  EXPECT_NE(h, hash_password("correct horse battery")) << "each hash has its own salt";
}

TEST(Password, MalformedStoredHashesNeverVerify) {
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", "x"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "x"));
  EXPECT_FALSE(verify_password("plain text", "plain text"));
}

// The stored strings are Argon2's own format both ways: what libargon2 writes verifies here, and
// what is written here verifies with libargon2.
TEST(Password, StoredHashesMatchLibargon2sFormat) {
  const std::string pw = "correct horse battery";
  std::string theirs(128, '\0');
  ASSERT_EQ(argon2id_hash_encoded(2, 19456, 1, pw.data(), pw.size(), "saltsaltsaltsalt", 16, 32, theirs.data(),
                                  theirs.size()),
            ARGON2_OK);
  theirs.resize(theirs.find('\0'));
  EXPECT_TRUE(verify_password(theirs, pw));
  EXPECT_FALSE(verify_password(theirs, pw + "!"));
  const auto ours = hash_password(pw, KdfParams{3, 8 * 1024, 2});
  EXPECT_EQ(argon2id_verify(ours.c_str(), pw.data(), pw.size()), ARGON2_OK) << ours;
  EXPECT_NE(argon2id_verify(ours.c_str(), "x", 1), ARGON2_OK);
  EXPECT_TRUE(verify_password(ours, pw));
}

TEST(Password, StoredStringsCannotAskForUnboundedWork) {
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "x"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=19456,t=5000,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "x"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=19456,t=2,p=99$c2FsdHNhbHQ$aGFzaGhhc2g", "x"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=19456,t=2$c2FsdHNhbHQ$aGFzaGhhc2g", "x"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ", "x"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=19456,t=2,p=1$!!$aGFzaGhhc2g", "x"));
}

void expect_refused(const std::string& pw, const std::string& why) {
  try {
    check_new_password(pw);
    FAIL() << "accepted '" << pw << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::invalid_argument);
    EXPECT_EQ(e.field(), "password");
    EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
  }
}

TEST(Password, LengthIsCountedInCharactersFrom8To128) {
  expect_refused("Ab3$xyz", "8 to 128");
  EXPECT_NO_THROW(check_new_password("Ab3$xyzq"));
  EXPECT_NO_THROW(check_new_password(std::string(128, 'q')));
  expect_refused(std::string(129, 'q'), "8 to 128");
  // Eight two-byte characters are eight characters, not sixteen.
  std::string eight_umlauts;
  for (int i = 0; i < 8; ++i) eight_umlauts += "\xc3\xa4";
  EXPECT_NO_THROW(check_new_password(eight_umlauts));
  std::string seven;
  for (int i = 0; i < 7; ++i) seven += "\xc3\xa4";
  expect_refused(seven, "8 to 128");
}

TEST(Password, CommonPasswordsAreRefusedWhateverTheirCase) {
  EXPECT_TRUE(is_common_password("password1"));
  EXPECT_TRUE(is_common_password("PassWord1"));
  EXPECT_TRUE(is_common_password("12345678"));
  EXPECT_FALSE(is_common_password("violet staircase humming"));
  expect_refused("Password1", "most common");
  expect_refused("iloveyou", "most common");
}

}  // namespace
}  // namespace tseeder::auth
