// The journeys of issue 6 in Debian's headless Chromium against a real `jixiao serve --demo`:
// the officer creates a project, enters a target and its actual value (a bad value first),
// uploads evidence and submits; the reviewers approve; the officer evaluates, submits the
// self-evaluation and downloads the DOCX; an officer of another department can neither see
// nor open the project; the finance bureau's reviewer sees it read-only; the officer's work
// again with the keyboard only. A screenshot of every page goes to OUT.
//
//   node journey.mjs BASE_URL OUT
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

// playwright-core is installed once, with the accessibility check's packages.
const require = createRequire(new URL("../a11y/package.json", import.meta.url));
const { chromium } = require("playwright-core");

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
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("用户名").fill(user);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(`${base}/`);
  return { context, page };
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
  writeFileSync(`${out}/project-url.txt`, projectUrl);
  console.log(`journeys passed; ${shots} screenshots in ${out}`);
} finally {
  await browser.close();
}
