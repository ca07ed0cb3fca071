#include "core/secrets/secrets.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace flow::core {
namespace {

TEST(Secrets, NamesLookSecretWordByWord) {
  for (const char* name : {"password", "db_password", "API_KEY", "apiKey", "x-api-key", "apikey",
                           "accessToken", "refresh_token", "client_secret", "user_name",
                           "username", "Authorization", "auth", "session_id", "private_key_pem",
                           "adminPassword", "pass_word", "otp", "email"}) {
    EXPECT_TRUE(LooksSecret(name)) << name;
  }
  for (const char* name : {"monkey", "author", "keyboard", "base_url", "user", "tokens_count_x",
                           "page", "name", "id", "ping", "keys"}) {
    EXPECT_FALSE(LooksSecret(name)) << name;
  }
}

TEST(Secrets, MasksEveryOccurrenceAndTheEncodedForms) {
  const SecretSet set({"s3cr3t&x y", "hunter2"});
  EXPECT_EQ(set.Masked("Bearer hunter2, again hunter2!"), "Bearer ***, again ***!");
  EXPECT_EQ(set.Masked("curl -d 'p=s3cr3t%26x%20y'"), "curl -d 'p=***'");
  EXPECT_EQ(set.Masked("{\"p\":\"s3cr3t&x y\"}"), "{\"p\":\"***\"}");
  EXPECT_EQ(set.Masked("nothing here"), "nothing here");
}

TEST(Secrets, LongerSecretsGoFirst) {
  const SecretSet set({"abc", "abcdef"});
  EXPECT_EQ(set.Masked("xx abcdef yy abc"), "xx *** yy ***");
}

TEST(Secrets, ShortSecretsOnlyMaskWholeValues) {
  const SecretSet set({"42", "ab"});
  EXPECT_EQ(set.Masked("ab"), "***");
  EXPECT_EQ(set.Masked("abc 42"), "abc 42");
  Value v = {{"n", 42}, {"m", 420}, {"s", "ab"}, {"t", "tab"}};
  set.MaskValue(v);
  EXPECT_EQ(v, (Value{{"n", "***"}, {"m", 420}, {"s", "***"}, {"t", "tab"}}));
}

TEST(Secrets, MasksValuesDeeplyKeysIncluded) {
  const SecretSet set({"topsecret", "12345"});
  Value v = {{"a", {{"b", Value::array({"x topsecret", 12345, true})}}},
             {"topsecret-key", 1}};
  set.MaskValue(v);
  EXPECT_EQ(v["a"]["b"], Value::array({"x ***", "***", true}));
  EXPECT_TRUE(v.contains("***-key"));
  EXPECT_FALSE(v.contains("topsecret-key"));
}

TEST(Secrets, MaskSecretNamesHidesValuesOfSecretLookingNames) {
  Value vars = {{"password", "x"}, {"user", {{"api_key", 7}, {"name", "ann"}}},
                {"tokens", Value::array({"a", "b"})}, {"session", {{"id", "s1"}, {"n", 2}}}};
  MaskSecretNames(vars);
  EXPECT_EQ(vars["password"], "***");
  EXPECT_EQ(vars["user"]["api_key"], "***");
  EXPECT_EQ(vars["user"]["name"], "ann");
  EXPECT_EQ(vars["tokens"], Value::array({"a", "b"}));  // "tokens" is not a secret word
  EXPECT_EQ(vars["session"], (Value{{"id", "***"}, {"n", "***"}}));
}

TEST(Secrets, RegistryCollectsNamedValuesHeadersAndIgnoresJsonWords) {
  SecretRegistry registry;
  registry.AddNamed({{"db_password", "pw-1"}, {"page", 3}, {"auth", {{"t", "tok-2"}}},
                     {"flag_token", true}});
  registry.AddFromHeaders({{"Authorization", "Bearer abc.def.ghi"},
                           {"Cookie", "sid=cookie-val; theme=dark"},
                           {"set-cookie", "session=zzz999; Path=/; HttpOnly"},
                           {"X-Api-Key", "key-4"},
                           {"Accept", "application/json"}});
  registry.Add("");
  registry.Add("  ");
  registry.Add("true");
  registry.Add("pw-1");  // no duplicate
  const std::vector<std::string> values = registry.Values();
  for (const char* v : {"pw-1", "tok-2", "Bearer abc.def.ghi", "abc.def.ghi", "cookie-val", "dark",
                        "zzz999", "key-4"}) {
    EXPECT_NE(std::find(values.begin(), values.end(), v), values.end()) << v;
  }
  EXPECT_EQ(std::count(values.begin(), values.end(), "pw-1"), 1);
  EXPECT_EQ(std::find(values.begin(), values.end(), "application/json"), values.end());
  EXPECT_EQ(std::find(values.begin(), values.end(), "Path=/"), values.end());
  EXPECT_EQ(std::find(values.begin(), values.end(), "true"), values.end());
  const auto snapshot = registry.Snapshot();
  EXPECT_EQ(snapshot->Masked("curl -H 'Authorization: Bearer abc.def.ghi'"),
            "curl -H 'Authorization: ***'");
  EXPECT_EQ(registry.Snapshot(), snapshot);  // unchanged: the same snapshot
  registry.Add("later");
  EXPECT_NE(registry.Snapshot(), snapshot);
}

TEST(Secrets, RegistryIsSafeToShareBetweenThreads) {
  SecretRegistry registry;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        registry.Add("secret-" + std::to_string(t) + "-" + std::to_string(i));
        static_cast<void>(registry.Snapshot()->Masked("x"));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(registry.size(), 800u);
}

}  // namespace
}  // namespace flow::core
