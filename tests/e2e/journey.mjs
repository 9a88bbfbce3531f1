// The journeys of issue 6 in Debian's headless Chromium against a real `jixiao serve --demo`:
// the officer creates a project, enters a target and its actual value (a bad value first),
// uploads evidence and submits; the reviewers approve; the officer evaluates, submits the
// self-evaluation and downloads the DOCX; an officer of another department can neither see
// nor open the project; the finance bureau's reviewer sees it read-only; the officer's work
// again with the keyboard only. A screenshot of every page goes to OUT.
//
//   node journey.mjs BASE_URL OUT
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

// playwright-core is installed once, with the accessibility check's packages.
const require = createRequire(new URL("../a11y/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error("usage: node journey.mjs BASE_URL OUT");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const PASSWORD = "jixiao-demo-2022";
const NAME = "残疾人辅具适配服务";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
let shots = 0;
async function shot(page, name) {
  shots += 1;
  await page.screenshot({ path: `${out}/${String(shots).padStart(2, "0")}-${name}.png`, fullPage: true });
}

async function login(user, password = PASSWORD) {
  // bypassCSP lets the test inject axe-core into the served pages; the pages themselves never
  // run a script.
  const context = await browser.newContext({ acceptDownloads: true, bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("用户名").fill(user);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(`${base}/`);
  return { context, page };
}

// axe-core (WCAG 2.1 A/AA and best practice) on the page as served: no violation.
async function axeClean(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
  );
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  assert.deepEqual(found, [], `axe-core on ${name}`);
}

async function approveAs(user, projectUrl) {
  const { context, page } = await login(user);
  await page.goto(projectUrl);
  await page.locator("form:has(input[name=kind][value=target_sheet])").getByRole("button", { name: "审核通过" }).click();
  await page.waitForURL(/#wf-target_sheet$/);
  await shot(page, `approved-by-${user}`);
  await context.close();
}

let projectUrl;
try {
  // 1. The officer creates a project and enters a target.
  {
    const { context, page } = await login("officer");
    await shot(page, "officer-home");
    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "项目" }).click();
    await shot(page, "project-list");
    await page.getByRole("link", { name: "新建项目" }).click();
    await page.getByLabel("项目名称").fill(NAME);
    await page.getByLabel("年度").fill("2023");
    await page.getByLabel("年初预算数（元）").fill("120000");
    await shot(page, "new-project");
    await page.getByRole("button", { name: "新建项目" }).click();
    await page.waitForURL(/\/projects\/\d+$/);
    projectUrl = page.url();
    await page.getByRole("link", { name: "新增绩效指标" }).click();
    await page.getByLabel("三级指标（名称）").fill("辅具适配人次");
    await page.getByLabel("指标值").fill("300");
    await page.getByLabel("计量单位").fill("人次");
    await shot(page, "new-indicator");
    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForURL(/#targets$/);

    // A bad actual value: the error is on its field, and nothing is saved.
    await page.getByRole("link", { name: /填报\s*辅具适配人次/ }).click();
    await page.getByLabel("数值", { exact: true }).fill("约三百");
    await page.getByRole("button", { name: "保存" }).click();
    const value = page.getByLabel("数值", { exact: true });
    assert.equal(await value.getAttribute("aria-invalid"), "true");
    assert.match(await page.locator("#value-error").innerText(), /不是数/);
    assert.match(await page.getByRole("alert").first().innerText(), /请修改以下问题/);
    await shot(page, "actual-error");
    await value.fill("320");
    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForURL(/#targets$/);
    assert.match(await page.locator("#targets ~ table, section[aria-labelledby=targets] table").first().innerText(), /320人次/);

    // Evidence for the target.
    await page.getByLabel("所佐证的指标").selectOption("T01");
    await page.getByLabel("佐证材料文件").setInputFiles({
      name: "适配登记表.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4\n% 适配登记\n"),
    });
    await page.getByRole("button", { name: "上传佐证材料" }).click();
    await page.waitForURL(/#evidence$/);
    assert.ok(await page.getByRole("link", { name: "适配登记表.pdf" }).isVisible());

    await page.getByRole("button", { name: "提交绩效目标表" }).click();
    await page.waitForURL(/#wf-target_sheet$/);
    assert.match(await page.locator("#wf-target_sheet").innerText(), /已提交/);
    await shot(page, "submitted");
    await context.close();
  }

  // 2. The reviewers approve, each their own step.
  await approveAs("head", projectUrl);
  await approveAs("unit-head", projectUrl);
  await approveAs("reviewer", projectUrl);

  // 3. The finance bureau's reviewer sees it read-only.
  {
    const { context, page } = await login("reviewer");
    await page.goto(projectUrl);
    assert.match(await page.locator("#wf-target_sheet").innerText(), /已批复/);
    assert.equal(await page.getByRole("link", { name: /^填报/ }).count(), 0);
    assert.equal(await page.getByRole("link", { name: "修改基本信息" }).count(), 0);
    await shot(page, "reviewer-read-only");
    await context.close();
  }

  // 4. The officer evaluates, submits the self-evaluation and downloads the report.
  {
    const { context, page } = await login("officer");
    await page.goto(`${projectUrl}/evaluation`);
    assert.match(await page.locator("dl.facts").first().innerText(), /计算得分/);
    await shot(page, "evaluation");
    await page.goto(projectUrl);
    await page.getByRole("button", { name: "提交绩效自评" }).click();
    await page.waitForURL(/#wf-self_evaluation$/);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "下载自评报告（DOCX）" }).click(),
    ]);
    await download.saveAs(`${out}/report.docx`);
    assert.match(download.suggestedFilename(), /支出绩效自评报告\.docx$/);
    await context.close();
  }

  // 5. Another department's officer can neither see nor open it.
  {
    const { context, page } = await login("admin");
    await page.goto(`${base}/admin`);
    await page.getByLabel("名称", { exact: true }).fill("昆明市民政局");
    await page.getByLabel("类型").selectOption("部门");
    await page.getByLabel("上级单位").selectOption({ label: "昆明市财政局（财政局）" });
    await page.getByRole("button", { name: "创建单位" }).click();
    await page.waitForURL(/\/admin#organisations$/);
    await page.getByLabel("用户名", { exact: true }).fill("mz-officer");
    await page.getByLabel("姓名", { exact: true }).fill("民政局 经办人");
    await page.locator("#organisation").selectOption({ label: "昆明市民政局（部门）" });
    await page.getByLabel("初始密码").fill("a-new-password-1");
    await page.getByRole("button", { name: "创建用户" }).click();
    await page.waitForURL(/\/admin#users$/);
    await shot(page, "admin");
    await context.close();

    const other = await login("mz-officer", "a-new-password-1");
    await other.page.goto(`${base}/projects`);
    assert.ok(!(await other.page.content()).includes(NAME), "not in another department's list");
    const res = await other.page.goto(projectUrl);
    assert.equal(res.status(), 403);
    assert.match(await other.page.getByRole("alert").innerText(), /其他单位的项目/);
    await shot(other.page, "other-department-forbidden");
    await other.context.close();
  }

  // 6. The officer's work again with the keyboard only: log in, open the project, enter a
  //    value, save.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    // Tab until the focus is on the element `matches` describes; fails after 200 presses.
    const tabTo = async (matches) => {
      for (let i = 0; i < 200; i++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate(matches)) return;
      }
      throw new Error(`keyboard focus never reached ${matches}`);
    };
    await tabTo(() => document.activeElement?.id === "username");
    await page.keyboard.type("officer");
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}/`);
    await tabTo(() => document.activeElement?.textContent === "项目" && document.activeElement.tagName === "A");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}/projects`);
    await tabTo(() => document.activeElement?.textContent === "残疾人辅具适配服务");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/projects\/\d+$/);
    await tabTo(() => (document.activeElement?.textContent ?? "").startsWith("填报辅具适配人次"));
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/targets\/T01$/);
    await tabTo(() => document.activeElement?.id === "value");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("330");
    await tabTo(() => document.activeElement?.tagName === "BUTTON" && document.activeElement.textContent === "保存");
    await shot(page, "keyboard-focus-on-save");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#targets$/);
    assert.match(await page.locator("section[aria-labelledby=targets] table").first().innerText(), /330人次/);
    await shot(page, "keyboard-saved");
    await context.close();
  }
  // 7. Money through the seed's chain on the demo project: the officer asks, the four leaders
  //    approve in turn from their 待办, the cashier pays; then the July monitoring round with a
  //    red warning, its answer, and the finance bureau's overview. axe-core on every page.
  {
    const demoName = "残疾人基层组织建设及服务经费";
    const officer = await login("officer");
    let page = officer.page;
    await page.goto(`${base}/projects`);
    await page.getByRole("link", { name: demoName }).first().click();
    await page.waitForURL(/\/projects\/\d+$/);
    const demoUrl = page.url();
    await page.goto(`${demoUrl}/funds`);
    await page.getByLabel("金额（元）").fill("3000.50");
    await page.getByLabel("用途").fill("专门协会活动场地租金");
    await page.getByLabel("收款方").fill("某活动中心");
    await page.getByRole("button", { name: "提出申请" }).click();
    await page.waitForURL(/\/fund-requests\/\d+$/);
    const requestUrl = page.url();
    await axeClean(page, "fund request (officer)");
    await shot(page, "fund-request-filed");
    for (const user of ["head", "finance", "deputy", "unit-head"]) {
      const { context, page: p } = await login(user);
      await p.getByRole("link", { name: /专门协会活动场地租金/ }).click();
      await p.waitForURL(requestUrl);
      await axeClean(p, `fund request (${user})`);
      await p.getByRole("button", { name: "同意" }).click();
      await p.waitForURL(requestUrl);
      await context.close();
    }
    {
      const { context, page: p } = await login("cashier");
      await p.getByRole("link", { name: /专门协会活动场地租金/ }).click();
      await p.getByLabel("支付日期").fill("2022-07-20");
      await p.getByLabel("银行流水号").fill("BK-2022-0720-01");
      await p.getByRole("button", { name: "支付并记入支出明细" }).click();
      await p.waitForURL(requestUrl);
      assert.match(await p.locator("dl.facts").innerText(), /已支付/);
      await shot(p, "fund-request-paid");
      await context.close();
    }
    await page.goto(`${demoUrl}/funds`);
    assert.match(await page.locator("table").nth(1).innerText(), /BK-2022-0720-01/);
    await axeClean(page, "funds and ledger");

    // The July round: every indicator on target but T01 (2 of 10 events) and T11 (cannot be met).
    await page.goto(`${demoUrl}/monitoring`);
    await axeClean(page, "project monitoring (empty)");
    assert.equal(await page.getByLabel("截至日期").inputValue(), "2022-07-31");
    await page.getByRole("button", { name: "开始填报" }).click();
    await page.waitForURL(/\/monitoring\/\d+$/);
    const roundUrl = page.url();
    const legends = await page.locator("form fieldset > legend").allInnerTexts();
    for (const legend of legends) {
      const m = legend.match(/^(T\d+) .*目标 ([≥≤=<>]?)([\d.]+)?/);
      if (!m) continue;
      const id = m[1];
      if (m[3]) await page.locator(`#achieved-${id}`).fill(id === "T01" ? "2" : m[3]);
      await page.locator(`#likelihood-${id}`).selectOption(id === "T11" ? "impossible" : "certain");
    }
    await page.locator("#measures-T11").fill("调整培训内容，下半年补办");
    await page.locator("#cause-staff-T01").check();
    await page.locator("#summary").fill("上半年制卡已完成，协会活动因换届推迟。");
    await axeClean(page, "monitoring round form");
    await page.getByRole("button", { name: "保存并报送" }).click();
    await page.waitForURL(roundUrl);
    assert.match(await page.locator("main").innerText(), /报送时提出的预警/);
    assert.match(await page.locator("main").innerText(), /红色预警/);
    await shot(page, "monitoring-submitted");
    await page.goto(`${demoUrl}/monitoring`);
    await axeClean(page, "project monitoring");
    await shot(page, "monitoring-project");
    await officer.context.close();

    // The unit head answers a red warning from the home page's 待办.
    {
      const { context, page: p } = await login("unit-head");
      await p.locator("section[aria-labelledby=todo] a[href^='/warnings/']").first().click();
      await p.waitForURL(/\/warnings\/\d+$/);
      await p.getByRole("button", { name: "提交答复" }).click();
      assert.match(await p.locator(".error-summary").innerText(), /偏差原因/);
      await axeClean(p, "warning with errors");
      await p.getByLabel("偏差原因", { exact: true }).fill("协会换届，活动推迟到下半年");
      await p.getByLabel("纠偏措施").fill("9月起每月举办两次");
      await p.getByLabel("调整预算或目标").check();
      await p.getByRole("button", { name: "提交答复" }).click();
      await p.waitForURL(/\/monitoring$/);
      assert.match(await p.locator("main").innerText(), /已答复/);
      await context.close();
    }
    // The finance bureau sees the project among the red ones.
    {
      const { context, page: p } = await login("reviewer");
      await p.getByRole("link", { name: "监控" }).click();
      await p.getByRole("link", { name: /红色预警（1）/ }).click();
      assert.match(await p.locator("table").innerText(), new RegExp(demoName));
      await axeClean(p, "monitoring overview");
      await shot(p, "monitoring-overview");
      await context.close();
    }
  }
  writeFileSync(`${out}/project-url.txt`, projectUrl);
  console.log(`journeys passed; ${shots} screenshots in ${out}`);
} finally {
  await browser.close();
}
