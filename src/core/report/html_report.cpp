#include "core/report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/report/markup.hpp"
#include "core/util/digest.hpp"
#include "core/util/time.hpp"
#include "core/value.hpp"

namespace flow::core {
namespace {

// The page's only stylesheet; the Content-Security-Policy allows exactly this text by its hash.
constexpr std::string_view kStyle = R"CSS(
:root{--bg:#f6f7f9;--card:#fff;--fg:#1d2330;--dim:#5d6675;--line:#dfe3ea;--pass:#1a7f37;
--fail:#cf222e;--err:#a40e26;--skip:#9a6700;--accent:#0969da;--code:#eef1f5;
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--fg:#e6edf3;--dim:#8d96a0;
--line:#30363d;--pass:#3fb950;--fail:#f85149;--err:#ff7b72;--skip:#d29922;--accent:#58a6ff;
--code:#1f2630}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg)}
.filter{position:absolute;opacity:0;pointer-events:none}
header{background:var(--card);border-bottom:1px solid var(--line);padding:16px 24px;
position:sticky;top:0;z-index:2}
header h1{margin:0;font-size:20px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
.verdict{font-size:13px;padding:2px 10px;border-radius:12px;color:#fff}
.verdict.passed{background:var(--pass)}.verdict.failed{background:var(--fail)}
.when{color:var(--dim);font-size:13px;margin-top:4px}
nav.filters{margin-top:10px;display:flex;gap:8px;flex-wrap:wrap}
nav.filters label{border:1px solid var(--line);border-radius:16px;padding:3px 12px;cursor:pointer;
user-select:none}
#f-all:checked~header label[for=f-all],#f-failed:checked~header label[for=f-failed],
#f-passed:checked~header label[for=f-passed],#f-skipped:checked~header label[for=f-skipped]{
background:var(--accent);border-color:var(--accent);color:#fff}
.filter:focus-visible~header nav.filters{outline:2px solid var(--accent);outline-offset:4px}
main{padding:16px 24px;max-width:1400px;margin:0 auto}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card h3{margin:0 0 6px;font-size:12px;text-transform:uppercase;letter-spacing:.04em;
color:var(--dim)}
.card .big{font-size:22px;font-weight:600}
.card .small{color:var(--dim);font-size:12px}
h2{font-size:16px;margin:22px 0 10px}
.failures ol{margin:0;padding:0;list-style:none}
.failures li{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--fail);
border-radius:6px;padding:8px 12px;margin-bottom:6px}
.failures li.error{border-left-color:var(--err)}
.failures a{color:var(--accent);font-weight:600;text-decoration:none}
.why{margin:4px 0 0}
.loc{color:var(--dim);font-family:ui-monospace,monospace;font-size:12px;margin-left:6px}
.ea{display:grid;grid-template-columns:auto 1fr;gap:0 8px;margin-top:4px;font-size:13px}
.ea span:nth-child(odd){color:var(--dim)}
details.suite{background:var(--card);border:1px solid var(--line);border-radius:8px;
margin-bottom:12px}
details.suite>summary{padding:10px 14px;cursor:pointer;display:flex;gap:10px;align-items:baseline;
flex-wrap:wrap;font-weight:600}
.node{color:var(--dim);font-weight:400;font-family:ui-monospace,monospace;font-size:12px}
.counts,.dur{color:var(--dim);font-weight:400;font-size:13px}
.dur{margin-left:auto}
.suite-body{padding:0 14px 12px}
.meta{color:var(--dim);margin:0 0 8px;font-size:13px}
.mark{display:inline-block;width:1.2em;text-align:center;font-weight:700}
.s-passed>summary .mark,.s-passed>details>summary .mark{color:var(--pass)}
.s-failed>summary .mark,.s-failed>details>summary .mark{color:var(--fail)}
.s-error>details>summary .mark{color:var(--err)}
.s-skipped>summary .mark,.s-skipped>details>summary .mark{color:var(--skip)}
figure.waterfall{margin:0 0 10px}
figure.waterfall svg{width:100%;height:auto;display:block;background:var(--bg);border-radius:4px}
.bar{fill:var(--pass)}.bar.failed{fill:var(--fail)}.bar.error{fill:var(--err)}
.bar.skipped{fill:var(--skip)}
.tick{stroke:var(--line);stroke-width:1}
.ticklabel{fill:var(--dim);font-size:11px}
figcaption{color:var(--dim);font-size:12px}
ol.steps{list-style:none;margin:0;padding:0}
ol.children{margin:6px 0 0 18px;border-left:2px solid var(--line);padding-left:8px}
li.step>details>summary{padding:5px 4px;cursor:pointer;display:flex;gap:8px;align-items:baseline;
border-top:1px solid var(--line)}
.req{font-family:ui-monospace,monospace;font-size:12px;color:var(--dim);overflow:hidden;
text-overflow:ellipsis;white-space:nowrap;max-width:60ch}
.code{font-family:ui-monospace,monospace;font-size:12px;padding:0 6px;border-radius:4px;
background:var(--code)}
.code.c4,.code.c5{color:var(--fail)}
.step-body{padding:6px 8px 10px 28px}
.step-body h4{margin:10px 0 4px;font-size:12px;text-transform:uppercase;color:var(--dim)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:12px}
table{border-collapse:collapse;width:100%;font-size:13px}
td,th{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top;
word-break:break-word}
th{background:var(--code);font-weight:600}
tr.fail td{background:color-mix(in srgb,var(--fail) 10%,transparent)}
pre{background:var(--code);padding:8px;border-radius:4px;overflow:auto;max-height:420px;
margin:4px 0;font-size:12px;white-space:pre-wrap;word-break:break-word}
.more{color:var(--dim);font-size:12px;margin:4px 0}
footer{color:var(--dim);font-size:12px;text-align:center;padding:20px}
#f-failed:checked~main li.step:not(.s-failed):not(.s-error):not(.has-failed){display:none}
#f-failed:checked~main details.suite:not(.has-failed){display:none}
#f-passed:checked~main li.step:not(.s-passed):not(.has-passed){display:none}
#f-passed:checked~main details.suite:not(.has-passed){display:none}
#f-passed:checked~main section.failures{display:none}
#f-skipped:checked~main li.step:not(.s-skipped):not(.has-skipped){display:none}
#f-skipped:checked~main details.suite:not(.has-skipped){display:none}
#f-skipped:checked~main section.failures{display:none}
)CSS";

double Round(double v) { return std::round(v * 100.0) / 100.0; }

std::string Ms(double ms) {
  char buf[32];
  if (ms >= 1000) {
    std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000);
  } else if (ms >= 10) {
    std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  }
  return buf;
}

std::string E(std::string_view text) { return HtmlEscape(text); }

std::string Place(const SourceSpan& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

// "passed" / "failed" / "error" / "skipped": the class suffix and filter of a status.
std::string StatusClass(StepStatus s) {
  switch (s) {
    case StepStatus::kSuccess: return "passed";
    case StepStatus::kFailure: return "failed";
    case StepStatus::kError: return "error";
    case StepStatus::kSkipped: return "skipped";
  }
  return "passed";
}

const char* Mark(StepStatus s) {
  switch (s) {
    case StepStatus::kSuccess: return "✓";
    case StepStatus::kFailure: return "✗";
    case StepStatus::kError: return "!";
    case StepStatus::kSkipped: return "–";
  }
  return "";
}

std::string ValueText(const Value& v, std::size_t max_bytes) {
  const std::string text = v.is_string() ? v.get<std::string>() : DumpJson(v, 2);
  return TruncateUtf8(text, max_bytes);
}

std::string Pre(const Value& v, std::size_t max_bytes) {
  return "<pre>" + E(ValueText(v, max_bytes)) + "</pre>";
}

std::string HeaderTable(const Value& headers) {
  if (!headers.is_object() || headers.empty()) return "";
  std::string out = "<table><tr><th>Header</th><th>Value</th></tr>";
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    out += "<tr><td>" + E(it.key()) + "</td><td>" + E(ToText(it.value())) + "</td></tr>";
  }
  return out + "</table>";
}

std::string RequestSection(const Value& request, std::size_t max_body) {
  std::string out = "<section><h4>Request</h4><p><span class=\"code\">" +
                    E(request.value("method", "")) + "</span> " + E(request.value("full_url", "")) +
                    "</p>";
  if (const auto h = request.find("headers"); h != request.end()) out += HeaderTable(*h);
  if (const auto b = request.find("body"); b != request.end() && !b->is_null()) {
    out += Pre(*b, max_body);
  }
  if (const auto c = request.find("curl_command"); c != request.end() && c->is_string()) {
    out += "<details><summary>curl</summary>" + Pre(*c, max_body) + "</details>";
  }
  return out + "</section>";
}

std::string ResponseSection(const Value& response, std::size_t max_body) {
  const int code = response.value("status_code", 0);
  std::string out = "<section><h4>Response</h4><p><span class=\"code c" +
                    std::to_string(code / 100) + "\">" + std::to_string(code) + "</span>";
  if (const auto size = response.find("size_bytes"); size != response.end() && size->is_number()) {
    out += " " + std::to_string(size->get<std::int64_t>()) + " bytes";
  }
  out += "</p>";
  if (const auto h = response.find("headers"); h != response.end()) out += HeaderTable(*h);
  if (const auto b = response.find("body"); b != response.end() && !b->is_null()) {
    out += Pre(*b, max_body);
  }
  if (const auto t = response.find("timing"); t != response.end() && t->is_object()) {
    out += "<table><tr><th>DNS</th><th>Connect</th><th>TLS</th><th>First byte</th>"
           "<th>Download</th><th>Total</th></tr><tr>";
    for (const char* key : {"dns_ms", "connect_ms", "tls_ms", "time_to_first_byte_ms",
                            "content_download_ms", "total_ms"}) {
      const auto v = t->find(key);
      out += "<td>" + (v != t->end() && v->is_number() ? Ms(v->get<double>()) : "") + "</td>";
    }
    out += "</tr></table>";
  }
  return out + "</section>";
}

// The opening of a step's <li> up to where the steps run inside it go.
std::string StepOpen(const StepOutcome& step, const std::string& anchor, const HtmlInfo& info,
                     bool has_children, const std::string& flags) {
  const std::string status = StatusClass(step.status);
  const bool failed = step.status == StepStatus::kFailure || step.status == StepStatus::kError;
  std::string out = "<li class=\"step s-" + status + flags + "\" id=\"" + anchor + "\"><details" +
                    (failed ? " open" : "") + "><summary><span class=\"mark\">" +
                    Mark(step.status) + "</span><span class=\"name\">" + E(step.step_name) +
                    "</span>";
  if (step.request && step.request->is_object()) {
    out += "<span class=\"req\">" + E(step.request->value("method", "")) + " " +
           E(step.request->value("full_url", "")) + "</span>";
  }
  if (step.response && step.response->is_object()) {
    const int code = step.response->value("status_code", 0);
    out += "<span class=\"code c" + std::to_string(code / 100) + "\">" + std::to_string(code) +
           "</span>";
  }
  out += "<span class=\"dur\">" + Ms(step.duration_ms) + "</span></summary><div class=\"step-body\">";
  if (failed) {
    out += "<p class=\"why\">" + E(step.FailureSummary());
    if (step.error && step.error->where && step.error->where->IsKnown()) {
      out += "<span class=\"loc\">" + E(Place(*step.error->where)) + "</span>";
    }
    out += "</p>";
    if (step.error && !step.error->hint.empty()) {
      out += "<p class=\"meta\">hint: " + E(step.error->hint) + "</p>";
    }
  }
  if (step.status == StepStatus::kSkipped && !step.skip_reason.empty()) {
    out += "<p class=\"meta\">skipped: " + E(step.skip_reason) + "</p>";
  }
  if (step.where.IsKnown()) out += "<p class=\"meta\">" + E(Place(step.where)) + "</p>";
  if (step.request || step.response) {
    out += "<div class=\"grid\">";
    if (step.request && step.request->is_object()) {
      out += RequestSection(*step.request, info.max_body_bytes);
    }
    if (step.response && step.response->is_object()) {
      out += ResponseSection(*step.response, info.max_body_bytes);
    }
    out += "</div>";
  }
  if (!step.assertions.empty()) {
    out += "<h4>Assertions</h4><table><tr><th></th><th>Check</th><th>Expected</th><th>Actual</th>"
           "<th>Message</th></tr>";
    for (const AssertionOutcome& a : step.assertions) {
      out += std::string("<tr class=\"") + (a.passed ? "pass" : "fail") + "\"><td>" +
             (a.passed ? "✓" : "✗") + "</td><td>" + E(a.field);
      if (a.where && a.where->IsKnown()) out += "<span class=\"loc\">" + E(Place(*a.where)) + "</span>";
      out += "</td><td>" + E(ValueText(a.expected, 4096)) + "</td><td>" +
             E(ValueText(a.actual, 4096)) + "</td><td>" + E(a.message) + "</td></tr>";
    }
    out += "</table>";
  }
  if (step.captured.is_object() && !step.captured.empty()) {
    out += "<h4>Captured</h4><table><tr><th>Variable</th><th>Value</th></tr>";
    for (auto it = step.captured.begin(); it != step.captured.end(); ++it) {
      out += "<tr><td>" + E(it.key()) + "</td><td>" + E(ValueText(it.value(), 4096)) + "</td></tr>";
    }
    out += "</table>";
  }
  if (!step.attempts.empty()) {
    out += "<h4>Attempts</h4><table><tr><th>#</th><th>Status</th><th>Code</th><th>Time</th>"
           "<th>Waited</th><th>Reason</th></tr>";
    for (const AttemptOutcome& a : step.attempts) {
      out += "<tr><td>" + std::to_string(a.number) + "</td><td>" +
             std::string(StepStatusName(a.status)) + "</td><td>" +
             (a.status_code ? std::to_string(*a.status_code) : "") + "</td><td>" +
             Ms(a.duration_ms) + "</td><td>" + Ms(static_cast<double>(a.waited_ms)) + "</td><td>" +
             E(a.reason) + "</td></tr>";
    }
    out += "</table>";
  }
  if (!step.logs.empty() || !step.warnings.empty()) {
    std::string lines;
    for (const std::string& w : step.warnings) lines += "[warn] " + w + "\n";
    for (const LogEntry& log : step.logs) lines += "[" + log.level + "] " + log.message + "\n";
    out += "<h4>Logs</h4><pre>" + E(TruncateUtf8(lines, info.max_body_bytes)) + "</pre>";
  }
  if (has_children) out += "<h4>Steps inside</h4><ol class=\"steps children\">";
  return out;
}

std::string StepClose(bool has_children, std::size_t hidden) {
  std::string out;
  if (has_children) out += "</ol>";
  if (hidden > 0) {
    out += "<p class=\"more\">" + std::to_string(hidden) +
           " more passed or skipped steps not shown (latest.json has every one)</p>";
  }
  return out + "</div></details></li>\n";
}

std::string Waterfall(const std::vector<HtmlReport::Bar>& bars, std::size_t hidden,
                      double suite_ms) {
  if (bars.empty()) return "";
  double end = suite_ms;
  for (const auto& b : bars) end = std::max(end, b.offset_ms + b.duration_ms);
  if (end <= 0) end = 1;
  constexpr int kWidth = 1000, kRow = 16, kTop = 18;
  const int height = kTop + static_cast<int>(bars.size()) * kRow + 4;
  std::string svg = "<figure class=\"waterfall\"><svg viewBox=\"0 0 " + std::to_string(kWidth) +
                    " " + std::to_string(height) +
                    "\" role=\"img\" aria-label=\"timing waterfall of the steps\">";
  for (int q = 0; q <= 4; ++q) {
    const int x = q * (kWidth - 2) / 4 + 1;
    svg += "<line class=\"tick\" x1=\"" + std::to_string(x) + "\" y1=\"14\" x2=\"" +
           std::to_string(x) + "\" y2=\"" + std::to_string(height) + "\"/>";
    const char* anchor = q == 0 ? "start" : q == 4 ? "end" : "middle";
    svg += "<text class=\"ticklabel\" x=\"" + std::to_string(x) + "\" y=\"11\" text-anchor=\"" +
           anchor + "\">" + E(Ms(end * q / 4)) + "</text>";
  }
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const double x = std::clamp(b.offset_ms / end, 0.0, 1.0) * kWidth;
    const double w = std::max(2.0, std::clamp(b.duration_ms / end, 0.0, 1.0) * kWidth);
    char geometry[96];
    std::snprintf(geometry, sizeof geometry, "x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"",
                  std::min(x, kWidth - w), kTop + static_cast<int>(i) * kRow, w, kRow - 4);
    svg += "<a href=\"#" + b.anchor + "\"><rect class=\"bar " + b.status + "\" " + geometry +
           "><title>" + E(b.name + " · " + Ms(b.duration_ms) + " · +" + Ms(b.offset_ms)) +
           "</title></rect></a>";
  }
  svg += "</svg><figcaption>Steps on a time line from the start of the suite (hover for names, click"
         " to jump)";
  if (hidden > 0) svg += "; " + std::to_string(hidden) + " more steps not drawn";
  return svg + "</figcaption></figure>";
}

std::string Head(const std::string& title) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
         E(HtmlReport::ContentSecurityPolicy()) + "\">\n<meta name=\"generator\" content=\"flowtest\">\n<title>" +
         E(title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
}

std::string Filters(std::size_t all, std::size_t failed, std::size_t passed, std::size_t skipped) {
  return "<nav class=\"filters\" aria-label=\"filter by status\">"
         "<label for=\"f-all\">All (" + std::to_string(all) + ")</label>"
         "<label for=\"f-failed\">Failed (" + std::to_string(failed) + ")</label>"
         "<label for=\"f-passed\">Passed (" + std::to_string(passed) + ")</label>"
         "<label for=\"f-skipped\">Skipped (" + std::to_string(skipped) + ")</label></nav>";
}

constexpr std::string_view kRadios =
    "<input type=\"radio\" name=\"filter\" id=\"f-all\" class=\"filter\" checked "
    "aria-label=\"show all\">\n"
    "<input type=\"radio\" name=\"filter\" id=\"f-failed\" class=\"filter\" aria-label=\"show failed\">\n"
    "<input type=\"radio\" name=\"filter\" id=\"f-passed\" class=\"filter\" aria-label=\"show passed\">\n"
    "<input type=\"radio\" name=\"filter\" id=\"f-skipped\" class=\"filter\" aria-label=\"show skipped\">\n";

std::string Card(const std::string& title, const std::string& big, const std::string& small) {
  return "<div class=\"card\"><h3>" + E(title) + "</h3><div class=\"big\">" + E(big) +
         "</div><div class=\"small\">" + E(small) + "</div></div>";
}

}  // namespace

std::string HtmlReport::ContentSecurityPolicy() {
  static const std::string policy = [] {
    const auto digest = Sha256(kStyle);
    const std::string hash =
        EncodeBase64(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
    return "default-src 'none'; style-src 'sha256-" + hash +
           "'; img-src data:; base-uri 'none'; form-action 'none'";
  }();
  return policy;
}

HtmlReport::HtmlReport(HtmlInfo info)
    : info_(std::move(info)),
      spools_(info_.spools ? *info_.spools : static_cast<SpoolFactory&>(memory_)),
      steps_(spools_),
      suite_failures_(spools_.CreateSpool()),
      failures_(spools_.CreateSpool()),
      failed_suites_(spools_.CreateSpool()),
      other_suites_(spools_.CreateSpool()),
      section_(spools_.CreateSpool()) {}

HtmlReport::~HtmlReport() = default;

void HtmlReport::OnRunStarted(std::int64_t started_at_ms, std::size_t) {
  started_at_ms_ = started_at_ms;
  finished_ = false;
}

void HtmlReport::OnStepFinished(const StepOutcome& step) {
  performance_.OnStep(step);
  const std::size_t depth = step.depth;
  if (levels_.size() <= depth + 1) levels_.resize(depth + 2);
  Level& children = levels_[depth + 1];
  const bool failed = step.status == StepStatus::kFailure || step.status == StepStatus::kError;
  Counts& counts = suite_steps_;
  switch (step.status) {
    case StepStatus::kSuccess: ++counts.passed; break;
    case StepStatus::kFailure: ++counts.failed; break;
    case StepStatus::kError: ++counts.errors; break;
    case StepStatus::kSkipped: ++counts.skipped; break;
  }
  // What the step holds, itself or inside: the filters keep a parent whose child matches.
  const bool holds_failed = failed || children.failed;
  const bool holds_passed = step.status == StepStatus::kSuccess || children.passed;
  const bool holds_skipped = step.status == StepStatus::kSkipped || children.skipped;
  Level& siblings = levels_[depth];
  if (depth > 0 && !holds_failed && siblings.shown >= info_.max_children) {
    // Not shown: neither it nor what ran inside it. The section spool is free until the suite
    // ends: the children are moved there and dropped.
    ++siblings.hidden;
    steps_.TakeChildren(depth, *section_);
    section_->Clear();
    children = Level{};
    return;
  }
  if (depth > 0) ++siblings.shown;
  siblings.failed = siblings.failed || holds_failed;
  siblings.passed = siblings.passed || holds_passed;
  siblings.skipped = siblings.skipped || holds_skipped;
  const std::string anchor = "st-" + std::to_string(++next_anchor_);
  if (failed) {
    std::string item = std::string("<li class=\"") +
                       (step.status == StepStatus::kError ? "error" : "fail") + "\"><a href=\"#" +
                       anchor + "\">" + E(step.step_name) + "</a>";
    if (step.where.IsKnown()) item += "<span class=\"loc\">" + E(Place(step.where)) + "</span>";
    item += "<p class=\"why\">" + E(step.FailureSummary()) + "</p>";
    for (const AssertionOutcome& a : step.assertions) {
      if (a.passed) continue;
      item += "<div class=\"ea\"><span>check</span><span>" + E(a.field);
      if (a.where && a.where->IsKnown()) {
        item += "<span class=\"loc\">" + E(Place(*a.where)) + "</span>";
      }
      item += "</span><span>expected</span><span>" + E(ValueText(a.expected, 2048)) +
              "</span><span>actual</span><span>" + E(ValueText(a.actual, 2048)) + "</span></div>";
    }
    if (step.error && step.error->where && step.error->where->IsKnown()) {
      item += "<div class=\"ea\"><span>at</span><span>" + E(Place(*step.error->where)) +
              "</span></div>";
    }
    suite_failures_->Write(item + "</li>\n");
  }
  std::string flags;
  if (children.failed) flags += " has-failed";
  if (children.passed) flags += " has-passed";
  if (children.skipped) flags += " has-skipped";
  const bool has_children = steps_.HasChildren(depth);
  TextSpool& level = steps_.At(depth);
  level.Write(StepOpen(step, anchor, info_, has_children, flags));
  steps_.TakeChildren(depth, level);
  level.Write(StepClose(has_children, children.hidden));
  children = Level{};
  if (depth == 0) {
    if (bars_.size() < info_.max_waterfall_bars) {
      bars_.push_back(Bar{.offset_ms = 0, .duration_ms = step.duration_ms,
                          .status = StatusClass(step.status), .name = step.step_name,
                          .anchor = anchor});
      bars_.back().offset_ms = static_cast<double>(step.started_at_ms);  // made relative later
    } else {
      ++bars_hidden_;
    }
  }
}

void HtmlReport::OnSuiteFinished(const SuiteOutcome& suite) {
  TextSpool& top = steps_.At(0);
  steps_.TakeChildren(0, top);
  for (Bar& b : bars_) b.offset_ms = std::max(0.0, b.offset_ms - static_cast<double>(suite.started_at_ms));
  const Counts& c = suite_steps_;
  std::string status = std::string(SuiteStatusName(suite.status));
  const std::string klass = suite.status == SuiteStatus::kSuccess   ? "passed"
                            : suite.status == SuiteStatus::kSkipped ? "skipped"
                                                                    : "failed";
  std::string flags;
  if (c.failed + c.errors > 0 || suite.status == SuiteStatus::kFailure) flags += " has-failed";
  if (c.passed > 0) flags += " has-passed";
  if (c.skipped > 0 || suite.status == SuiteStatus::kSkipped) flags += " has-skipped";
  const char* mark = klass == "passed" ? "✓" : klass == "skipped" ? "–" : "✗";
  std::string counts = std::to_string(c.passed) + " passed · " + std::to_string(c.failed) +
                       " failed · " + std::to_string(c.errors) + " errors · " +
                       std::to_string(c.skipped) + " skipped";
  const std::string file = info_.absolute_path ? info_.absolute_path(suite.file) : suite.file;
  std::string head = "<details class=\"suite s-" + klass + flags + "\" id=\"su-" +
                     std::to_string(++suite_number_) + "\"" +
                     (klass == "failed" ? " open" : "") + "><summary><span class=\"mark\">" + mark +
                     "</span><span class=\"name\">" + E(suite.suite_name) +
                     "</span><span class=\"node\">" + E(suite.node_id) + "</span><span class=\"counts\">" +
                     E(counts) + "</span><span class=\"dur\">" + Ms(suite.duration_ms) +
                     "</span></summary><div class=\"suite-body\"><p class=\"meta\">" + E(file) +
                     " · priority " + E(suite.priority.empty() ? "-" : suite.priority) + "</p>";
  if (suite.error) {
    head += "<p class=\"why\">" + E(FormatErrorLine(*suite.error)) + "</p>";
  }
  if (!suite.skip_reason.empty()) head += "<p class=\"meta\">skipped: " + E(suite.skip_reason) + "</p>";
  for (const std::string& w : suite.warnings) head += "<p class=\"meta\">warning: " + E(w) + "</p>";
  head += Waterfall(bars_, bars_hidden_, suite.duration_ms);
  section_->Clear();
  section_->Write(head + "<ol class=\"steps\">\n");
  top.ReplayTo(*section_);
  section_->Write("</ol></div></details>\n");
  top.Clear();

  TextSpool& into = klass == "failed" ? *failed_suites_ : *other_suites_;
  section_->ReplayTo(into);
  suite_failures_->ReplayTo(*failures_);

  if (info_.suite_pages) {
    const std::size_t failed_steps = c.failed + c.errors;
    Result<void> written = info_.suite_pages->Write(suite.node_id, started_at_ms_, [&](TextOutput& out) {
      out.Write(Head(suite.suite_name + " · " + info_.project_name + " · " + status));
      out.Write(kRadios);
      out.Write("<header><h1>" + E(suite.suite_name) + " <span class=\"verdict " +
                (klass == "failed" ? "failed" : "passed") + "\">" + E(status) +
                "</span></h1><div class=\"when\">" + E(info_.project_name) + " · " +
                E(FormatIsoUtc(suite.started_at_ms)) + " · " + Ms(suite.duration_ms) + "</div>" +
                Filters(c.passed + c.failed + c.errors + c.skipped, failed_steps, c.passed,
                        c.skipped) +
                "</header>\n<main>\n");
      if (!suite_failures_->Empty()) {
        out.Write("<section class=\"failures\"><h2>Failures (" + std::to_string(failed_steps) +
                  ")</h2><ol>\n");
        suite_failures_->ReplayTo(out);
        out.Write("</ol></section>\n");
      }
      out.Write("<section class=\"suites\">\n");
      section_->ReplayTo(out);
      out.Write("</section>\n</main>\n<footer>flowtest report</footer>\n</body>\n</html>\n");
    });
    if (!written) page_errors_.push_back(written.error().message);
  }
  suite_failures_->Clear();
  section_->Clear();

  steps_total_.passed += c.passed;
  steps_total_.failed += c.failed;
  steps_total_.errors += c.errors;
  steps_total_.skipped += c.skipped;
  suite_steps_ = Counts{};
  bars_.clear();
  bars_hidden_ = 0;
  levels_.clear();
  performance_.FinishSuite(suite);
  switch (suite.status) {
    case SuiteStatus::kSuccess: ++suites_passed_; break;
    case SuiteStatus::kFailure: ++suites_failed_; break;
    case SuiteStatus::kSkipped: ++suites_skipped_; break;
  }
}

void HtmlReport::AddUnloadedSuite(const std::string& file, const std::vector<Error>& errors) {
  ++unloaded_;
  std::string item = "<li class=\"error\"><a href=\"#su-" + std::to_string(++suite_number_) +
                     "\">" + E(file) + "</a><p class=\"why\">could not be loaded</p>";
  std::string body;
  for (const Error& e : errors) {
    item += "<div class=\"ea\"><span>error</span><span>" + E(FormatErrorLine(e)) + "</span></div>";
    body += "<p class=\"why\">" + E(FormatErrorLine(e)) + "</p>";
    if (!e.hint.empty()) body += "<p class=\"meta\">hint: " + E(e.hint) + "</p>";
  }
  failures_->Write(item + "</li>\n");
  failed_suites_->Write("<details class=\"suite s-failed has-failed\" id=\"su-" +
                        std::to_string(suite_number_) +
                        "\" open><summary><span class=\"mark\">✗</span><span class=\"name\">" +
                        E(file) + "</span><span class=\"counts\">could not be loaded</span>"
                        "</summary><div class=\"suite-body\">" + body + "</div></details>\n");
}

void HtmlReport::OnRunFinished(const RunOutcome& run) {
  duration_ms_ = run.duration_ms;
  finished_ = true;
}

Result<void> HtmlReport::WriteTo(TextOutput& out) const {
  if (!finished_) return Conflict("the report can only be written once the run has finished");
  const bool passed = suites_failed_ == 0 && unloaded_ == 0;
  const std::size_t failed_steps = steps_total_.failed + steps_total_.errors;
  const std::size_t all_steps = failed_steps + steps_total_.passed + steps_total_.skipped;
  out.Write(Head(info_.project_name + " · flowtest · " + (passed ? "passed" : "failed")));
  out.Write(kRadios);
  out.Write("<header><h1>" + E(info_.project_name) + " <span class=\"verdict " +
            (passed ? "passed" : "failed") + "\">" + (passed ? "PASSED" : "FAILED") +
            "</span></h1><div class=\"when\">" + E(FormatIsoUtc(started_at_ms_)) + " · " +
            Ms(duration_ms_) + "</div>" +
            Filters(all_steps, failed_steps, steps_total_.passed, steps_total_.skipped) +
            "</header>\n<main>\n");
  const LatencyStats& rt = performance_.run();
  out.Write("<section class=\"cards\">" +
            Card("Suites", std::to_string(suites_passed_) + " / " +
                               std::to_string(suites_passed_ + suites_failed_ + unloaded_) +
                               " passed",
                 std::to_string(suites_failed_) + " failed · " + std::to_string(suites_skipped_) +
                     " skipped · " + std::to_string(unloaded_) + " not loaded") +
            Card("Steps", std::to_string(steps_total_.passed) + " passed",
                 std::to_string(steps_total_.failed) + " failed · " +
                     std::to_string(steps_total_.errors) + " errors · " +
                     std::to_string(steps_total_.skipped) + " skipped") +
            Card("Requests", std::to_string(rt.count()),
                 "median " + Ms(rt.Quantile(0.5)) + " · p95 " + Ms(rt.Quantile(0.95)) + " · max " +
                     Ms(rt.max())) +
            Card("Duration", Ms(duration_ms_), FormatIsoUtc(started_at_ms_)) + "</section>\n");
  if (!failures_->Empty()) {
    out.Write("<section class=\"failures\"><h2>Failures (" +
              std::to_string(failed_steps + unloaded_) + ")</h2><ol>\n");
    failures_->ReplayTo(out);
    out.Write("</ol></section>\n");
  }
  out.Write("<section class=\"suites\"><h2>Suites</h2>\n");
  failed_suites_->ReplayTo(out);
  other_suites_->ReplayTo(out);
  out.Write("</section>\n</main>\n<footer>flowtest report · " + E(FormatIsoUtc(started_at_ms_)) +
            " · " + std::to_string(static_cast<long long>(Round(duration_ms_))) +
            " ms</footer>\n</body>\n</html>\n");
  for (const auto* spool : {failures_.get(), failed_suites_.get(), other_suites_.get(),
                            suite_failures_.get(), section_.get()}) {
    if (Result<void> s = spool->Status(); !s) return s;
  }
  if (Result<void> s = steps_.Status(); !s) return s;
  if (!page_errors_.empty()) return Unavailable(page_errors_.front());
  return out.Status();
}

}  // namespace flow::core
