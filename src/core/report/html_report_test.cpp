#include "core/report/html_report.hpp"

#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "core/report/report_test_support.hpp"
#include "core/util/digest.hpp"

namespace flow::core {
namespace {

using report_testing::Count;
using report_testing::FeedSampleRun;
using report_testing::Step;
using report_testing::Written;

class MemoryPages final : public HtmlPageWriter {
 public:
  Result<void> Write(const std::string& node_id, std::int64_t,
                     const std::function<void(TextOutput&)>& render) override {
    StringOutput out;
    render(out);
    pages[node_id] = out.text();
    return Ok();
  }
  std::map<std::string, std::string> pages;
};

std::string SampleHtml(MemoryPages* pages = nullptr) {
  HtmlReport report(HtmlInfo{.project_name = "Shop", .suite_pages = pages});
  FeedSampleRun(report);
  return Written(report);
}

TEST(HtmlReport, IsOneDocumentWithAPolicyThatAllowsOnlyItsOwnStyle) {
  const std::string html = SampleHtml();
  ASSERT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(Count(html, "<style>"), 1u);
  const std::size_t open = html.find("<style>") + 7;
  const std::string style = html.substr(open, html.find("</style>") - open);
  const auto digest = Sha256(style);
  const std::string hash =
      EncodeBase64(std::string(reinterpret_cast<const char*>(digest.data()), digest.size()));
  EXPECT_NE(html.find("content=\"default-src &#39;none&#39;; style-src &#39;sha256-" + hash + "&#39;"),
            std::string::npos);
  EXPECT_EQ(HtmlReport::ContentSecurityPolicy().find("script-src"), std::string::npos);
  // Nothing a strict policy would block: no script, no inline style, no event handler.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find(" style=\""), std::string::npos);
  EXPECT_FALSE(std::regex_search(html, std::regex(R"( on[a-z]+=)")));
  EXPECT_EQ(html.find("http://"), html.find("http://127.0.0.1:1/users"));  // no external resource
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
}

TEST(HtmlReport, FailuresComeFirstThenFailedSuitesThenTheOthers) {
  const std::string html = SampleHtml();
  const std::size_t failures = html.find("<section class=\"failures\"><h2>Failures (5)</h2>");
  const std::size_t users = html.find("<span class=\"name\">Users API</span>");
  const std::size_t broken = html.find("<span class=\"name\">broken.yaml</span>");
  const std::size_t orders = html.find("<span class=\"name\">Orders</span>");
  ASSERT_NE(failures, std::string::npos) << html;
  ASSERT_NE(users, std::string::npos);
  EXPECT_LT(failures, users);
  EXPECT_LT(users, orders);   // failed before skipped
  EXPECT_LT(broken, orders);  // a suite that did not load counts as failed
  // The failure of "get user": its check, expected and actual, and where.
  EXPECT_NE(html.find("<span>check</span><span>status_code<span class=\"loc\">users.yaml:14:20"
                      "</span></span><span>expected</span><span>200</span><span>actual</span>"
                      "<span>404</span>"),
            std::string::npos)
      << html;
  // Links from the failures to the steps resolve.
  const std::regex link(R"re(href="#(st-\d+)")re");
  std::size_t links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), link); it != std::sregex_iterator();
       ++it) {
    ++links;
    EXPECT_NE(html.find("id=\"" + (*it)[1].str() + "\""), std::string::npos) << (*it)[1];
  }
  EXPECT_GE(links, 4u);
}

TEST(HtmlReport, StepsShowRequestResponseAssertionsAndEscapeTheirText) {
  const std::string html = SampleHtml();
  EXPECT_NE(html.find("<span class=\"req\">GET http://127.0.0.1:1/users?q=&lt;x&gt;&amp;y</span>"),
            std::string::npos);
  EXPECT_EQ(html.find("Ann & <Bob>"), std::string::npos);
  EXPECT_NE(html.find("Ann &amp; &lt;Bob&gt;"), std::string::npos);
  EXPECT_NE(html.find("<th>First byte</th>"), std::string::npos);
  EXPECT_NE(html.find("<td>first_id</td><td>7</td>"), std::string::npos);
  EXPECT_NE(html.find("hint: raise request.timeout"), std::string::npos);
  // The iterate step holds its iterations and is marked as holding a failure and passes.
  const std::size_t page = html.find("<span class=\"name\">page</span>");
  ASSERT_NE(page, std::string::npos);
  const std::size_t li = html.rfind("<li class=\"step s-failed has-failed has-passed\"", page);
  EXPECT_NE(li, std::string::npos) << html.substr(page - 300, 300);
  EXPECT_GT(html.find("page [2/3]", page), page);
  // A waterfall per suite that ran steps, with one bar per top-level step.
  EXPECT_EQ(Count(html, "<figure class=\"waterfall\">"), 1u);
  EXPECT_EQ(Count(html, "<rect class=\"bar"), 5u);
  // Summary cards and filters with counts.
  EXPECT_NE(html.find("<label for=\"f-failed\">Failed (4)</label>"), std::string::npos);
  EXPECT_NE(html.find("<h3>Requests</h3><div class=\"big\">5</div>"), std::string::npos);
}

TEST(HtmlReport, ManyPassedChildrenAreCountedNotShownButFailuresAlwaysAre) {
  HtmlReport report(HtmlInfo{.max_children = 10});
  report.OnRunStarted(0, 1);
  for (int k = 0; k < 100; ++k) {
    StepOutcome it = Step("loop [" + std::to_string(k + 1) + "/100]",
                          k == 77 ? StepStatus::kFailure : StepStatus::kSuccess);
    it.depth = 1;
    it.iteration = k;
    report.OnStepFinished(it);
  }
  report.OnStepFinished(Step("loop", StepStatus::kFailure));
  report.OnSuiteFinished(SuiteOutcome{.node_id = "users", .suite_name = "U",
                                      .status = SuiteStatus::kFailure});
  report.OnRunFinished(RunOutcome{});
  const std::string html = Written(report);
  EXPECT_NE(html.find("loop [10/100]"), std::string::npos);
  EXPECT_EQ(html.find("loop [11/100]"), std::string::npos);
  EXPECT_NE(html.find("loop [78/100]"), std::string::npos);
  EXPECT_NE(html.find("89 more passed or skipped steps not shown"), std::string::npos);
}

TEST(HtmlReport, WritesAPagePerSuiteWhenAsked) {
  MemoryPages pages;
  const std::string html = SampleHtml(&pages);
  ASSERT_EQ(pages.pages.size(), 2u);
  const std::string& users = pages.pages["users"];
  EXPECT_EQ(users.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(users.find("<h1>Users API <span class=\"verdict failed\">failure</span></h1>"),
            std::string::npos)
      << users.substr(0, 3000);
  EXPECT_NE(users.find("<h2>Failures (4)</h2>"), std::string::npos);
  EXPECT_EQ(users.find("broken.yaml"), std::string::npos);
  EXPECT_NE(pages.pages["orders"].find("skipped: required dependency"), std::string::npos);
}

}  // namespace
}  // namespace flow::core
