"""The report's inline stylesheet and its small script (filters); nothing is fetched from the network."""

CSS = """
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2330;--muted:#667085;--line:#e3e6ec;--accent:#3559c7;
--critical:#8e1b8e;--high:#c62828;--medium:#b26a00;--low:#2b7a99;--ins:#dff3e3;--del:#fbe0e0;--chg:#fff8e1}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header.top{background:#151b2c;color:#fff;padding:18px 32px}
header.top h1{margin:0;font-size:20px}
header.top p{margin:4px 0 0;color:#b8c0d6}
nav.toc{background:#1f2740;padding:6px 32px;position:sticky;top:0;z-index:5}
nav.toc a{color:#dfe5f7;margin-right:18px;text-decoration:none;font-size:13px}
main{padding:8px 32px 48px;max-width:1500px}
section{margin-top:26px}
h2{font-size:18px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{font-size:16px;margin:0}
h4{font-size:13px;margin:16px 0 6px;color:#344054;text-transform:uppercase;letter-spacing:.04em}
.count{background:#e8ecf6;color:#344054;border-radius:10px;padding:1px 9px;font-size:13px;vertical-align:middle}
.muted{color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0;
box-shadow:0 1px 2px rgba(16,24,40,.05)}
.tiles{display:flex;gap:12px;flex-wrap:wrap}
.tile{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 18px;min-width:130px}
.tile b{display:block;font-size:24px}
.tile span{color:var(--muted);font-size:12px}
table{border-collapse:collapse;background:var(--card)}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f6;font-weight:600;font-size:12px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.bycat{margin-top:14px;min-width:760px}
td.barcell{width:280px}
.stack{display:flex;height:12px;background:#f0f2f6;border-radius:3px;overflow:hidden}
.seg{display:block;height:100%}
.seg.sev-critical{background:var(--critical)}.seg.sev-high{background:var(--high)}
.seg.sev-medium{background:var(--medium)}.seg.sev-low{background:var(--low)}
.sev{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-size:12px;font-weight:600}
span.sev.sev-critical{background:var(--critical)}span.sev.sev-high{background:var(--high)}
span.sev.sev-medium{background:var(--medium)}span.sev.sev-low{background:var(--low)}
.chip{display:inline-block;background:#eef1f6;border-radius:12px;padding:1px 9px;margin:2px 4px 2px 0;font-size:12px}
.chip.cat{background:#fde9e7;color:#8a1c12}
.campaign header{display:flex;align-items:center;gap:12px;flex-wrap:wrap;border-bottom:1px solid var(--line);
padding-bottom:8px}
.rank{font-weight:700;color:var(--muted)}
.score{font-weight:700;color:var(--accent)}
.bar{display:inline-block;width:140px;height:8px;background:#e8ecf6;border-radius:4px;overflow:hidden}
.bar span{display:block;height:100%;background:var(--accent)}
.facts{display:flex;gap:28px;margin:10px 0 0;color:#344054}
.reasons li{margin:2px 0}
.people{display:flex;gap:40px;flex-wrap:wrap}
.people>div{max-width:48%}
svg.timeline{background:#fbfcfe;border:1px solid var(--line);border-radius:6px;max-width:100%;height:auto}
svg.timeline .row{stroke:#edf0f5}
svg.timeline .axis{stroke:#98a2b3}
svg.timeline .tick{stroke:#e3e6ec;stroke-dasharray:3 3}
svg.timeline text{font:11px system-ui,sans-serif;fill:#475467}
svg.timeline .dot{fill:var(--accent);stroke:#fff;stroke-width:1.5}
svg.timeline .dot.hit{fill:var(--high)}
.vcap{font-size:12px;margin:8px 0 2px}
.vcap.two{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.vlabel{display:inline-block;background:var(--ink);color:#fff;border-radius:3px;padding:0 6px;font-weight:700}
table.diff{width:100%;table-layout:fixed;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
border:1px solid var(--line)}
table.diff td{border:none;padding:0 6px;white-space:pre-wrap;word-break:break-all}
table.diff td.ln{width:44px;color:#98a2b3;text-align:right;background:#f7f8fa;user-select:none}
table.diff td.src.changed{background:var(--chg)}
table.diff td.src.empty{background:#f2f3f5}
table.diff td.src.flagged{box-shadow:inset 3px 0 0 var(--high);background:#fff1f0}
table.diff ins{background:#b7e4c0;text-decoration:none}
table.diff del{background:#f5b5b5;text-decoration:none}
.mark{float:right;color:var(--high);font-weight:700;font-family:system-ui,sans-serif;font-size:11px;margin-left:8px}
.filters{display:flex;gap:14px;align-items:center;flex-wrap:wrap;margin:8px 0;background:var(--card);
border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.filters select,.filters input{font:inherit;padding:2px 4px;max-width:260px}
table.findings{width:100%}
table.findings td.code{max-width:720px}
table.findings code,code.line{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;
word-break:break-all}
td.loc{font:12px ui-monospace,Menlo,monospace;word-break:break-all;max-width:330px}
td.loc .repo{color:var(--accent);display:block}
.msg{color:#475467;font-size:12px;margin-top:2px}
mark{background:#ffe08a;border-bottom:2px solid var(--high);padding:0}
.hid{background:#ffd7d7;color:#8a0000;border:1px solid #e08a8a;border-radius:3px;padding:0 2px;font-size:11px;
font-family:ui-monospace,Menlo,monospace;white-space:nowrap}
.hid-tag,.hid-selector{background:#ffe6b3;color:#6b3d00;border-color:#e0b060}
.na{text-decoration:underline wavy #d9480f}
.hiddenmsg{color:#8a0000;font-size:12px;margin-top:2px}
.dec{color:#344054;font-size:12px;margin-top:2px}
.ctx{display:inline-block;background:#ece6ff;color:#4b2aa8;border-radius:3px;padding:0 5px;font-size:11px;margin:2px 0}
details.decoded pre{background:#f7f8fa;border:1px solid var(--line);padding:6px;max-height:220px;overflow:auto;
white-space:pre-wrap;word-break:break-all;font-size:12px}
a.rule{color:var(--accent);font-weight:600;text-decoration:none}
a.rule:hover{text-decoration:underline}
.std{display:inline-block;background:#e7f0ff;color:#1f3b82;border-radius:3px;padding:0 6px;margin:1px 3px 1px 0;
font-size:12px;cursor:help}
table.standards{width:100%}
article.rule{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 16px;margin:10px 0}
article.rule:target{outline:3px solid var(--accent)}
article.rule dt{font-weight:600;margin-top:6px}
article.rule dd{margin:2px 0 0 0}
article.rule pre{background:#f7f8fa;border:1px solid var(--line);padding:6px;white-space:pre-wrap;font-size:12px}
.hiddenlist li{margin:6px 0}
ol.cindex li{margin:2px 0}
tr.hide{display:none}
"""

JS = """
(function () {
  var data = JSON.parse(document.getElementById('codescan-data').textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll('table.findings tbody tr'));
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-filter]'));
  var query = document.getElementById('q');
  var shown = document.getElementById('shown');
  selects.forEach(function (sel) {
    (data.facets[sel.getAttribute('data-filter')] || []).forEach(function (value) {
      sel.appendChild(new Option(value, value));
    });
    sel.addEventListener('change', apply);
  });
  if (query) { query.addEventListener('input', apply); }
  function apply() {
    var want = {};
    selects.forEach(function (sel) { want[sel.getAttribute('data-filter')] = sel.value; });
    var text = query ? query.value.toLowerCase() : '';
    var count = 0;
    rows.forEach(function (row) {
      var ok = Object.keys(want).every(function (key) {
        return !want[key] || row.getAttribute('data-' + key) === want[key];
      }) && (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
      row.classList.toggle('hide', !ok);
      if (ok) { count += 1; }
    });
    if (shown) { shown.textContent = count + ' of ' + rows.length + ' shown'; }
  }
  apply();
})();
"""
