// vnproof proofreading page: plain JS, no build step. Offsets from /v1/check are used in their
// UTF-16 form (utf16_offset/utf16_length), which is how JavaScript strings are indexed.
"use strict";

const CATEGORY_NAMES = {
  spelling: "Chính tả", grammar: "Ngữ pháp", typography: "Trình bày",
  consistency: "Nhất quán", style: "Văn phong",
};
const DEBOUNCE_MS = 600;
const HIGH_CONFIDENCE = 0.9;   // "apply all" fixes only issues at least this sure

// Kept in this browser only (localStorage): a person's own words and ignored issues. Adding a word
// never touches the server's shared dictionary; with an API key it goes to that key's tenant.
const store = {
  get: (k) => { try { return JSON.parse(localStorage.getItem(k) || "[]"); } catch (e) { return []; } },
  set: (k, v) => localStorage.setItem(k, JSON.stringify(v)),
};
let myWords = store.get("vnproof-words");

const $ = (id) => document.getElementById(id);
const textarea = $("text"), highlights = $("highlights"), backdrop = $("backdrop");
const popup = $("popup"), statusEl = $("status");

let issues = [];          // {start, end, text, replacements, category, rule_id, message}
let ignored = new Set(store.get("vnproof-ignored"));  // "rule|text" pairs, kept across sessions
let timer = null, seq = 0, controller = null, active = null;

function apiHeaders(json) {
  const h = json ? { "Content-Type": "application/json" } : {};
  const key = localStorage.getItem("vnproof-key");
  if (key) h["X-API-Key"] = key;
  return h;
}

// Editors' decisions (applied, ignored, added) go to the server only when it says this key's
// tenant records them (GET /v1/tenants/me: feedback_accepted), so the tenant can calibrate.
let feedbackOn = false;
async function loadTenant() {
  try {
    const res = await fetch("/v1/tenants/me", { headers: apiHeaders(false) });
    feedbackOn = res.ok && (await res.json()).feedback_accepted === true;
  } catch (e) { feedbackOn = false; }
}
function sendFeedback(list) {   // list of [issue, action, replacement]
  if (!feedbackOn || !list.length) return;
  const events = list.map(([i, action, replacement]) => ({ rule_id: i.rule_id, text: i.text,
    replacement: replacement === undefined ? null : replacement, action, confidence: i.confidence }));
  fetch("/v1/feedback", { method: "POST", headers: apiHeaders(true), keepalive: true,
                          body: JSON.stringify({ events }) }).catch(() => {});
}

function setStatus(msg) { statusEl.textContent = msg; }
// What the last action did (added a word, applied fixes...): stays while checks come and go.
function setNote(msg) { $("note").textContent = msg; }

// body[data-state]: "pending" (debouncing), "checking" (request in flight), "idle".
function setState(state) { document.body.dataset.state = state; }

function scheduleCheck() {
  clearTimeout(timer);
  setState("pending");
  timer = setTimeout(check, DEBOUNCE_MS);
}

async function check() {
  const text = textarea.value, mine = ++seq;
  if (controller) controller.abort();
  controller = new AbortController();
  if (!text.trim()) { issues = []; render(); setStatus("Dán hoặc gõ bài viết để bắt đầu."); setState("idle"); return; }
  setStatus("Đang kiểm tra…");
  setState("checking");
  try {
    const res = await fetch("/v1/check", {
      method: "POST", headers: apiHeaders(true), signal: controller.signal,
      body: JSON.stringify({ text, level: $("level").value, dictionary: myWords }),
    });
    if (mine !== seq) return;
    if (res.status === 401) { $("key-box").hidden = false; setStatus("Cần khóa API: nhập khóa rồi gõ tiếp."); return; }
    if (res.status === 413) { setStatus("Bài quá dài: hãy chia thành nhiều phần nhỏ hơn."); return; }
    if (res.status === 429) { setStatus("Gửi quá nhiều yêu cầu, vui lòng đợi giây lát."); scheduleCheck(); return; }
    if (!res.ok) { setStatus("Lỗi máy chủ (" + res.status + ")."); return; }
    const body = await res.json();
    if (mine !== seq || textarea.value !== text) return;   // stale: the text changed meanwhile
    const shown = active !== null ? issues[active] : null;
    issues = body.issues
      .map((i) => ({ start: i.utf16_offset, end: i.utf16_offset + i.utf16_length, text: i.text,
                     replacements: i.replacements, category: i.category, rule_id: i.rule_id,
                     message: i.message, confidence: i.confidence }))
      .filter((i) => !ignored.has(i.rule_id + "|" + i.text));
    // Keep the open popup on the same word, or close it if that word is no longer flagged.
    active = shown ? issues.findIndex((i) => i.start === shown.start && i.text === shown.text) : null;
    if (active === -1) { active = null; popup.hidden = true; }
    render();
    setStatus(issues.length ? `Tìm thấy ${issues.length} lỗi` + (body.incomplete ? " (chưa kiểm tra hết do bài quá dài)." : ".")
                            : "Không phát hiện lỗi.");
  } catch (e) {
    if (e.name !== "AbortError") setStatus("Không kết nối được máy chủ.");
  } finally {
    if (mine === seq && document.body.dataset.state === "checking") setState("idle");
  }
}

function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function render() {
  const text = textarea.value;
  let html = "", pos = 0;
  issues.forEach((iss, k) => {
    if (iss.start < pos) return;  // overlapping: keep the first
    html += escapeHtml(text.slice(pos, iss.start));
    html += `<mark class="issue cat-${iss.category}${active === k ? " active" : ""}" data-i="${k}" ` +
            `data-offset="${iss.start}">${escapeHtml(text.slice(iss.start, iss.end))}</mark>`;
    pos = iss.end;
  });
  // A trailing newline needs a character after it to take up a line, as in the textarea.
  highlights.innerHTML = html + escapeHtml(text.slice(pos)) + "\u200b";
  backdrop.scrollTop = textarea.scrollTop;
  renderSummary();
}

function renderSummary() {
  const counts = {};
  issues.forEach((i) => { counts[i.category] = (counts[i.category] || 0) + 1; });
  $("counts").innerHTML = Object.keys(counts).map((c) =>
    `<li class="cat-${c}" data-category="${c}">${CATEGORY_NAMES[c] || c}: <b>${counts[c]}</b></li>`).join("")
    || "<li>Chưa có lỗi nào.</li>";
  $("issue-list").innerHTML = issues.map((i, k) =>
    `<li><button type="button" data-i="${k}"><span class="wrong">${escapeHtml(i.text)}</span>` +
    (i.replacements.length ? ` → <span class="right">${escapeHtml(i.replacements[0])}</span>` : "") +
    `</button> <small>${CATEGORY_NAMES[i.category] || i.category}</small></li>`).join("");
}

function issueAt(pos) {
  return issues.findIndex((i) => i.start <= pos && pos <= i.end);
}

function openPopup(k) {
  const iss = issues[k];
  if (!iss) return closePopup();
  active = k;
  render();
  $("popup-message").textContent = iss.message;
  $("popup-fixes").innerHTML = iss.replacements.length
    ? iss.replacements.map((r) => `<button type="button" class="fix" data-value="${escapeHtml(r)}">${escapeHtml(r)}</button>`).join("")
    : "<em>Không có gợi ý.</em>";
  const mark = highlights.querySelector(`mark[data-i="${k}"]`);
  const rect = mark ? mark.getBoundingClientRect() : textarea.getBoundingClientRect();
  popup.style.left = `${rect.left + window.scrollX}px`;
  popup.style.top = `${rect.bottom + window.scrollY + 6}px`;
  popup.hidden = false;
}

function closePopup() {
  popup.hidden = true;
  if (active !== null) { active = null; render(); }
}

function applyFix(k, value) {
  const iss = issues[k], text = textarea.value;
  if (!iss || text.slice(iss.start, iss.end) !== iss.text) { closePopup(); return check(); }
  sendFeedback([[iss, "applied", value]]);
  textarea.value = lastText = text.slice(0, iss.start) + value + text.slice(iss.end);
  const delta = value.length - (iss.end - iss.start);
  issues = issues.filter((_, j) => j !== k).map((i) =>
    i.start >= iss.end ? { ...i, start: i.start + delta, end: i.end + delta } : i);
  textarea.focus();
  textarea.setSelectionRange(iss.start + value.length, iss.start + value.length);
  closePopup();
  render();
  scheduleCheck();
}

// While typing, keep the underlines before and after the edit (shifted) until the re-check.
let lastText = "";
function shiftIssues(before, after) {
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before[p] === after[p]) p++;
  let s = 0;
  while (s < max - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  const editEnd = before.length - s, delta = after.length - before.length;
  issues = issues.filter((i) => i.end < p || i.start > editEnd)
    .map((i) => (i.start > editEnd ? { ...i, start: i.start + delta, end: i.end + delta } : i));
}
textarea.addEventListener("input", () => {
  closePopup();
  shiftIssues(lastText, textarea.value);
  lastText = textarea.value;
  render();
  scheduleCheck();
});
textarea.addEventListener("scroll", () => { backdrop.scrollTop = textarea.scrollTop; });
textarea.addEventListener("click", () => {
  if (textarea.selectionStart !== textarea.selectionEnd) return closePopup();
  const k = issueAt(textarea.selectionStart);
  k >= 0 ? openPopup(k) : closePopup();
});
$("issue-list").addEventListener("click", (e) => {
  const b = e.target.closest("button[data-i]");
  if (!b) return;
  const iss = issues[+b.dataset.i];
  textarea.focus();
  textarea.setSelectionRange(iss.start, iss.end);
  // Bring the word into view, then point the popup at it.
  const mark = highlights.querySelector(`mark[data-i="${b.dataset.i}"]`);
  if (mark) textarea.scrollTop = mark.offsetTop - textarea.clientHeight / 3;
  backdrop.scrollTop = textarea.scrollTop;
  openPopup(+b.dataset.i);
});
$("popup-fixes").addEventListener("click", (e) => {
  const b = e.target.closest("button.fix");
  if (b && active !== null) applyFix(active, b.dataset.value);
});
$("ignore").addEventListener("click", () => {
  const iss = issues[active];
  if (!iss) return;
  ignored.add(iss.rule_id + "|" + iss.text);
  sendFeedback([[iss, "ignored"]]);
  store.set("vnproof-ignored", [...ignored]);
  issues = issues.filter((i) => !ignored.has(i.rule_id + "|" + i.text));
  closePopup(); render(); renderLists();
  setNote(`Đã bỏ qua “${iss.text}”.`);
});
$("add-word").addEventListener("click", async () => {
  const iss = issues[active];
  if (!iss) return;
  closePopup();
  sendFeedback([[iss, "added"]]);
  if (localStorage.getItem("vnproof-key")) {   // a key: the tenant's dictionary, if the key may write it
    const res = await fetch("/v1/dictionary", { method: "POST", headers: apiHeaders(true),
                                                body: JSON.stringify({ words: [iss.text] }) });
    if (res.ok) { setNote(`Đã thêm “${iss.text}” vào từ điển của tổ chức (theo khóa API).`); return check(); }
    setNote(`Khóa API không được ghi từ điển (${res.status}); “${iss.text}” chỉ được thêm vào từ điển riêng.`);
  } else {
    setNote(`Đã thêm “${iss.text}” vào từ điển riêng trên trình duyệt này (không ảnh hưởng người khác).`);
  }
  if (!myWords.includes(iss.text)) myWords.push(iss.text);
  store.set("vnproof-words", myWords);
  renderLists();
  check();
});

function renderLists() {
  const row = (value, label, cls) => `<li><span>${escapeHtml(label)}</span>` +
    `<button type="button" class="${cls}" data-value="${escapeHtml(value)}">Xóa</button></li>`;
  $("my-words").innerHTML = myWords.map((w) => row(w, w, "remove-word")).join("") || "<li>Chưa có từ nào.</li>";
  $("my-ignored").innerHTML = [...ignored].map((k) => row(k, k.split("|").slice(1).join("|"), "unignore")).join("")
    || "<li>Chưa bỏ qua lỗi nào.</li>";
}
$("my-words").addEventListener("click", (e) => {
  const b = e.target.closest("button.remove-word");
  if (!b) return;
  myWords = myWords.filter((w) => w !== b.dataset.value);
  store.set("vnproof-words", myWords);
  renderLists(); check();
});
$("my-ignored").addEventListener("click", (e) => {
  const b = e.target.closest("button.unignore");
  if (!b) return;
  ignored.delete(b.dataset.value);
  store.set("vnproof-ignored", [...ignored]);
  renderLists(); check();
});

// "Apply all": the first suggestion of every high-confidence issue, from the end so offsets hold.
$("apply-all").addEventListener("click", () => {
  const text = textarea.value;
  const sure = issues.filter((i) => i.confidence >= HIGH_CONFIDENCE && i.replacements.length &&
                                    text.slice(i.start, i.end) === i.text).sort((a, b) => b.start - a.start);
  let out = text, last = Infinity;
  const done = [];
  for (const i of sure) {
    if (i.end > last) continue;   // overlapping: keep the later one
    out = out.slice(0, i.start) + i.replacements[0] + out.slice(i.end);
    last = i.start;
    done.push([i, "applied", i.replacements[0]]);
  }
  sendFeedback(done);
  textarea.value = lastText = out;
  issues = [];
  render();
  setNote(`Đã sửa ${sure.length} lỗi có độ tin cậy cao; đang kiểm tra lại…`);
  scheduleCheck();
});

$("copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(textarea.value);
  } catch (e) {   // no clipboard permission (plain http): select and copy the old way
    textarea.select();
    document.execCommand("copy");
  }
  setNote("Đã sao chép bài viết (kèm các chỗ đã sửa).");
});

// A .docx (or .txt) file, opened, dropped or pasted: the server turns it into text, one line per paragraph.
async function openFile(file) {
  if (!file) return;
  setStatus(`Đang đọc “${file.name}”…`);
  const form = new FormData();
  form.append("file", file, file.name);
  const h = apiHeaders(false);
  const res = await fetch("/v1/extract", { method: "POST", headers: h, body: form });
  if (!res.ok) { setStatus(`Không đọc được tệp: ${(await res.json()).detail || res.status}`); return; }
  textarea.value = lastText = (await res.json()).text;
  issues = []; render();
  check();
}
$("file").addEventListener("change", (e) => openFile(e.target.files[0]));
textarea.addEventListener("drop", (e) => {
  if (!e.dataTransfer.files.length) return;
  e.preventDefault();
  openFile(e.dataTransfer.files[0]);
});
textarea.addEventListener("paste", (e) => {
  const f = e.clipboardData && e.clipboardData.files[0];
  if (f && /\.docx$/i.test(f.name)) { e.preventDefault(); openFile(f); }
});
$("level").addEventListener("change", check);
$("api-key").addEventListener("change", (e) => { localStorage.setItem("vnproof-key", e.target.value); loadTenant(); check(); });
document.addEventListener("keydown", (e) => { if (e.key === "Escape") closePopup(); });
document.addEventListener("mousedown", (e) => {
  if (!popup.hidden && !popup.contains(e.target) && e.target !== textarea) closePopup();
});
render();
renderLists();
loadTenant();
setState("idle");
