//! The store's conformance story, one path through the whole Store API: open and migrate,
//! organisations, a project saved and read back equal, listing by organisation, a save
//! with the version it read, a stale save refused, a duplicate refused, generated projects
//! round-tripped, deletion. It runs on SQLite always and on PostgreSQL when
//! `JIXIAO_TEST_PG_URL` is set (scripts/test sets it after starting the server).
#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot unwrap should fail the test"
)]

#[path = "../../core/benches/support/variants.rs"]
#[expect(dead_code, reason = "shared with the scoring benchmark")]
mod variants;

use jixiao_core::project::Role;
use jixiao_core::workflow::{FlowAction, FlowKind, FlowState};
use jixiao_store::{
    Backend, Error, NewEvidence, OrgKind, Problem, ProjectFilter, ProjectId, Store,
};

fn kunming() -> jixiao_core::project::Project {
    let src = jixiao_testkit::kunming_example();
    jixiao_core::file::project::read(src.as_bytes())
        .value
        .unwrap()
}

async fn story(store: &Store, url: &str) {
    // Organisations: the finance bureau above a department.
    let bureau = store
        .create_organisation("昆明市财政局", OrgKind::FinanceBureau, None, "tester")
        .await
        .unwrap();
    let dept = store
        .create_organisation(
            "昆明市残疾人联合会",
            OrgKind::Department,
            Some(bureau),
            "tester",
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .organisation_by_name("昆明市残疾人联合会")
            .await
            .unwrap(),
        Some(dept)
    );
    assert_eq!(
        store
            .department("昆明市残疾人联合会", "tester")
            .await
            .unwrap(),
        dept
    );
    match store
        .create_organisation("昆明市财政局", OrgKind::FinanceBureau, None, "tester")
        .await
    {
        Err(e @ Error::Conflict { .. }) => assert_eq!(e.zh(), "已有同名单位"),
        other => panic!("duplicate organisation: {other:?}"),
    }

    // The Kunming case saved and read back equal.
    let p = kunming();
    let id = store.insert_project(dept, &p, "tester").await.unwrap();
    let back = store.project(id).await.unwrap();
    assert_eq!(back.project, p);
    assert_eq!((back.organisation, back.version), (dept, 1));

    // Listing is scoped by organisation.
    let other = store.department("昆明市民政局", "tester").await.unwrap();
    let mut elsewhere = p.clone();
    elsewhere.department = "昆明市民政局".into();
    let other_id = store
        .insert_project(other, &elsewhere, "tester")
        .await
        .unwrap();
    let mine = store.projects(Some(dept)).await.unwrap();
    assert_eq!(mine.iter().map(|s| s.id).collect::<Vec<_>>(), [id]);
    assert_eq!(store.projects(None).await.unwrap().len(), 2);

    // A save names the version it read; a second save with the same version is refused.
    let mut edited = p.clone();
    edited.annual_goal = Some("全年培训基层残疾人工作者470人次以上。".into());
    edited.targets.pop();
    assert_eq!(
        store
            .update_project(id, 1, &edited, "tester")
            .await
            .unwrap(),
        2
    );
    assert_eq!(store.project(id).await.unwrap().project, edited);
    match store.update_project(id, 1, &p, "tester").await {
        Err(e @ Error::Stale { .. }) => {
            assert!(e.zh().contains("已被他人修改"), "{}", e.zh());
        }
        other => panic!("stale save: {other:?}"),
    }
    assert_eq!(
        store.project(id).await.unwrap().project,
        edited,
        "nothing overwritten"
    );
    // An explicit overwrite takes whatever version is there.
    assert_eq!(
        store.replace_project(id, &edited, "tester").await.unwrap(),
        3
    );
    assert_eq!(store.project(id).await.unwrap().version, 3);

    // The same project name and year twice in one organisation is refused, and nothing of
    // the second insert is left behind.
    match store.insert_project(dept, &p, "tester").await {
        Err(e @ Error::Conflict { .. }) => assert_eq!(e.zh(), "同一单位同一年度已有同名项目"),
        other => panic!("duplicate project: {other:?}"),
    }
    assert_eq!(store.projects(Some(dept)).await.unwrap().len(), 1);

    // Review: each step by its role, a snapshot on submission, returns with reasons, and
    // an approved target sheet whose indicators no longer change.
    let mk = |name: &'static str, role: Role, org| async move {
        let uid = store
            .create_user(org, name, name, role, "$argon2id$x", "tester")
            .await
            .unwrap();
        jixiao_store::User {
            id: uid,
            organisation: org,
            username: name.into(),
            display_name: name.into(),
            role,
            password_hash: String::new(),
            failed_logins: 0,
            locked_until: None,
            disabled_at: None,
        }
    };
    let officer = mk("officer", Role::Officer, dept).await;
    let head = mk("head", Role::HeadOfOffice, dept).await;
    let leader = mk("leader", Role::UnitHead, dept).await;
    let reviewer = mk("reviewer", Role::Reviewer, bureau).await;
    let stranger = mk("stranger", Role::HeadOfOffice, other).await;
    let sheet = FlowKind::TargetSheet;
    let act = |a, u: &jixiao_store::User, why: Option<&'static str>| {
        let u = u.clone();
        async move { store.workflow_act(id, sheet, a, &u, why).await }
    };
    assert_eq!(
        act(FlowAction::Submit, &officer, None).await.unwrap(),
        FlowState::Submitted
    );
    let flows = store.workflows(id).await.unwrap();
    let hash = flows[0].snapshot.clone().unwrap();
    let frozen = store.snapshot(&hash).await.unwrap().unwrap();
    assert_eq!(
        frozen,
        jixiao_core::file::write::project(&edited),
        "the snapshot is the data as submitted"
    );
    match act(FlowAction::Approve, &leader, None).await {
        Err(e @ Error::Refused { .. }) => assert_eq!(e.zh(), "这一步由部门负责人办理"),
        other => panic!("{other:?}"),
    }
    match act(FlowAction::Approve, &stranger, None).await {
        Err(e @ Error::Refused { .. }) => assert!(e.zh().contains("本单位"), "{}", e.zh()),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        act(FlowAction::Approve, &head, None).await.unwrap(),
        FlowState::DepartmentReview
    );
    assert_eq!(
        act(FlowAction::Approve, &leader, None).await.unwrap(),
        FlowState::FinanceReview
    );
    let back = FlowAction::Return {
        to: FlowState::Draft,
    };
    assert!(matches!(
        act(back, &reviewer, None).await,
        Err(Error::Refused { .. })
    ));
    assert_eq!(
        act(back, &reviewer, Some("产出指标未量化")).await.unwrap(),
        FlowState::Draft
    );
    for (a, u) in [
        (FlowAction::Submit, &officer),
        (FlowAction::Approve, &head),
        (FlowAction::Approve, &leader),
        (FlowAction::Approve, &reviewer),
    ] {
        act(a, u, None).await.unwrap();
    }
    let flows = store.workflows(id).await.unwrap();
    assert_eq!(flows[0].state, FlowState::Approved);
    assert_eq!(flows[0].steps.len(), 8, "refused steps leave no trace");
    assert_eq!(flows[0].steps[3].reason.as_deref(), Some("产出指标未量化"));
    assert_eq!(
        flows[1].state,
        FlowState::Draft,
        "the self-evaluation has its own workflow"
    );
    let mut retargeted = edited.clone();
    retargeted.targets[0].name.push_str("（改）");
    let current = store.project(id).await.unwrap().version;
    match store
        .update_project(id, current, &retargeted, "tester")
        .await
    {
        Err(e @ Error::Refused { .. }) => assert!(e.zh().contains("已批复"), "{}", e.zh()),
        other => panic!("{other:?}"),
    }
    let mut measured = edited.clone();
    measured.targets[0].actual = None;
    assert!(
        store
            .update_project(id, current, &measured, "tester")
            .await
            .is_ok(),
        "actual values may change"
    );

    // An adjustment (调整): opened with a reason, the targets change, it goes through the same
    // review, and every approved version is kept.
    let versions = store.target_versions(id).await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(
        (
            versions[0].seq,
            versions[0].kind,
            versions[0].approved_by.as_str()
        ),
        (1, FlowKind::TargetSheet, "reviewer")
    );
    let adjust = |a, u: &jixiao_store::User, why: Option<&'static str>| {
        let u = u.clone();
        async move {
            store
                .workflow_act(id, FlowKind::Adjustment, a, &u, why)
                .await
        }
    };
    match adjust(FlowAction::Open, &officer, None).await {
        Err(e @ Error::Refused { .. }) => assert_eq!(e.zh(), "发起绩效目标调整须写明调整原因"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        adjust(FlowAction::Open, &officer, Some("年中预算调减"))
            .await
            .unwrap(),
        FlowState::Draft
    );
    let current = store.project(id).await.unwrap().version;
    store
        .update_project(id, current, &retargeted, "tester")
        .await
        .unwrap();
    match act(FlowAction::Submit, &officer, None).await {
        Err(e @ Error::Refused { .. }) => {
            assert_eq!(e.zh(), "绩效目标表当前为“已批复”，不能进行此操作");
        }
        other => panic!("{other:?}"),
    }
    match store
        .workflow_act(
            id,
            FlowKind::SelfEvaluation,
            FlowAction::Submit,
            &officer,
            None,
        )
        .await
    {
        Err(e @ Error::Refused { .. }) => {
            assert_eq!(e.zh(), "绩效目标调整当前为“草稿”，须批复后才能提交绩效自评");
        }
        other => panic!("{other:?}"),
    }
    adjust(FlowAction::Submit, &officer, None).await.unwrap();
    let current = store.project(id).await.unwrap().version;
    match store.update_project(id, current, &edited, "tester").await {
        Err(e @ Error::Refused { .. }) => {
            assert!(e.zh().contains("调整当前为“已提交”"), "{}", e.zh());
        }
        other => panic!("{other:?}"),
    }
    for u in [&head, &leader, &reviewer] {
        adjust(FlowAction::Approve, u, None).await.unwrap();
    }
    let versions = store.target_versions(id).await.unwrap();
    assert_eq!(versions.len(), 2, "both approved versions are kept");
    assert_eq!(
        (versions[1].seq, versions[1].kind),
        (2, FlowKind::Adjustment)
    );
    let first = store
        .snapshot(&versions[0].snapshot)
        .await
        .unwrap()
        .unwrap();
    let second = store
        .snapshot(&versions[1].snapshot)
        .await
        .unwrap()
        .unwrap();
    assert!(!first.contains("（改）") && second.contains("（改）"));
    match store.update_project(id, current, &edited, "tester").await {
        Err(e @ Error::Refused { .. }) => {
            assert!(e.zh().contains("请先发起绩效目标调整"), "{}", e.zh());
        }
        other => panic!("{other:?}"),
    }
    let flows = store.workflows(id).await.unwrap();
    assert_eq!(flows.len(), 3);
    assert_eq!(flows[2].steps[0].reason.as_deref(), Some("年中预算调减"));

    // Evidence files: stored whole (any bytes), for an indicator of the project or the whole
    // project, named without directories, each upload and deletion in the audit trail.
    let content: Vec<u8> = b"%PDF-1.7\n".iter().copied().chain(0..=255u8).collect();
    let indicator = edited.targets[0].id.clone();
    let file = |target, name, content| NewEvidence {
        target,
        name,
        media_type: "application/pdf",
        content,
    };
    let kept = store
        .add_evidence(
            id,
            file(Some(&indicator), "C:\\扫描件\\培训签到表.pdf", &content),
            "officer",
        )
        .await
        .unwrap();
    assert_eq!(kept.name, "培训签到表.pdf");
    assert_eq!(kept.size, 265);
    let (meta, bytes) = store.evidence_file(id, kept.id).await.unwrap().unwrap();
    assert_eq!((meta, bytes), (kept.clone(), content.clone()));
    match store
        .add_evidence(id, file(Some("T99"), "x.pdf", &content), "officer")
        .await
    {
        Err(e @ Error::Refused { .. }) => assert_eq!(e.zh(), "项目没有编号为「T99」的绩效指标"),
        other => panic!("{other:?}"),
    }
    let dropped = store
        .add_evidence(id, file(None, "预算批复.pdf", &content), "officer")
        .await
        .unwrap();
    store
        .delete_evidence(id, dropped.id, "officer")
        .await
        .unwrap();
    assert_eq!(
        store.evidence(id).await.unwrap(),
        std::slice::from_ref(&kept)
    );
    assert!(
        store
            .evidence_file(other_id, kept.id)
            .await
            .unwrap()
            .is_none(),
        "not through another project"
    );

    // The department's own review chain: its finance head, not the office head, checks a
    // submitted self-evaluation; a step outside the department cannot be reassigned.
    let evaluation = FlowKind::SelfEvaluation;
    let finance_head = mk("finance_head", Role::FinanceHead, dept).await;
    match store
        .set_review_step(
            dept,
            evaluation,
            FlowState::FinanceReview,
            Some(&[Role::UnitHead]),
            "admin",
        )
        .await
    {
        Err(e @ Error::Refused { .. }) => assert!(e.zh().contains("不能改由"), "{}", e.zh()),
        other => panic!("{other:?}"),
    }
    store
        .set_review_step(
            dept,
            evaluation,
            FlowState::Submitted,
            Some(&[Role::FinanceHead]),
            "admin",
        )
        .await
        .unwrap();
    let chain = store.review_chain(dept, evaluation).await.unwrap();
    assert_eq!(
        chain
            .iter()
            .map(|s| (s.state, s.roles.clone(), s.configured))
            .collect::<Vec<_>>(),
        [
            (
                FlowState::Draft,
                vec![Role::Officer, Role::HeadOfOffice],
                false
            ),
            (FlowState::Submitted, vec![Role::FinanceHead], true),
            (
                FlowState::DepartmentReview,
                vec![Role::UnitHead, Role::DeputyLeader],
                false
            ),
            (FlowState::FinanceReview, vec![Role::Reviewer], false),
        ]
    );
    assert!(
        !store.review_chain(dept, sheet).await.unwrap()[1].configured,
        "each kind has its own chain"
    );
    let eval_act = |a, u: &jixiao_store::User| {
        let u = u.clone();
        async move { store.workflow_act(id, evaluation, a, &u, None).await }
    };
    eval_act(FlowAction::Submit, &officer).await.unwrap();
    match eval_act(FlowAction::Approve, &head).await {
        Err(e @ Error::Refused { .. }) => assert_eq!(e.zh(), "这一步由财务负责人办理"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        eval_act(FlowAction::Approve, &finance_head).await.unwrap(),
        FlowState::DepartmentReview
    );
    // A submitted self-evaluation freezes its evidence.
    for refused in [
        store
            .add_evidence(id, file(None, "补充.pdf", &content), "officer")
            .await
            .map(|_| ()),
        store.delete_evidence(id, kept.id, "officer").await,
    ] {
        match refused {
            Err(e @ Error::Refused { .. }) => {
                assert!(e.zh().contains("佐证材料不能更改"), "{}", e.zh());
            }
            other => panic!("{other:?}"),
        }
    }
    store
        .set_review_step(dept, evaluation, FlowState::Submitted, None, "admin")
        .await
        .unwrap();
    assert!(!store.review_chain(dept, evaluation).await.unwrap()[1].configured);

    // An uploaded framework: found by name like a built-in one, never shadowing a built-in,
    // never replaced.
    let fw = jixiao_core::builtin::load("kunming-2022").unwrap();
    let source = jixiao_core::builtin::source("kunming-2022")
        .unwrap()
        .replacen("name = \"kunming-2022\"", "name = \"kunming-2023\"", 1);
    let variant = jixiao_core::file::framework::read(source.as_bytes())
        .value
        .unwrap();
    store
        .add_framework(dept, &variant, &source, "admin")
        .await
        .unwrap();
    for refused in [
        store.add_framework(dept, &variant, &source, "admin").await,
        store
            .add_framework(
                dept,
                &fw,
                jixiao_core::builtin::source("kunming-2022").unwrap(),
                "admin",
            )
            .await,
    ] {
        assert!(matches!(refused, Err(Error::Refused { .. })), "{refused:?}");
    }
    let listed = store.frameworks().await.unwrap();
    assert_eq!(
        listed.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        ["kunming-2023"]
    );
    let found = store.framework("kunming-2023").await.unwrap().unwrap();
    assert_eq!(
        (found.name.as_str(), found.nodes.len()),
        ("kunming-2023", fw.nodes.len())
    );
    assert_eq!(
        store.framework("kunming-2022").await.unwrap().unwrap().name,
        "kunming-2022"
    );
    assert!(store.framework("无此框架").await.unwrap().is_none());

    // Generated projects (every kind of actual value and judgment) round-trip.
    let mut rng = variants::Lcg(3);
    for k in 0..12 {
        let mut v = variants::variant(&p, &fw, &mut rng);
        v.name = format!("{}（变体{k}）", p.name);
        let vid = store.insert_project(dept, &v, "tester").await.unwrap();
        assert_eq!(store.project(vid).await.unwrap().project, v, "variant {k}");
    }

    // Deletion removes the project and its parts.
    store.delete_project(other_id, "tester").await.unwrap();
    assert!(matches!(
        store.project(other_id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_project(ProjectId(other_id.0), "tester").await,
        Err(Error::NotFound { .. })
    ));

    // Administration: the organisation tree, a department's users, and a user who left is
    // disabled (their sessions end, they cannot come back through one) and later restored.
    let orgs = store.organisations().await.unwrap();
    assert_eq!(
        orgs.iter()
            .map(|o| (o.name.as_str(), o.kind, o.parent))
            .collect::<Vec<_>>()[..2],
        [
            ("昆明市财政局", OrgKind::FinanceBureau, None),
            ("昆明市残疾人联合会", OrgKind::Department, Some(bureau)),
        ]
    );
    // Offices belong to their department: its users see their projects, and the tree keeps
    // its three levels.
    let office = store
        .create_organisation("组联处", OrgKind::Office, Some(dept), "admin")
        .await
        .unwrap();
    assert_eq!(store.department_of(office).await.unwrap(), dept);
    assert!(store.same_department(office, dept).await.unwrap());
    assert!(!store.same_department(office, other).await.unwrap());
    match store
        .create_organisation("某科", OrgKind::Office, Some(office), "admin")
        .await
    {
        Err(e @ Error::Refused { .. }) => assert!(e.zh().contains("财政局 → 部门 → 处室")),
        other => panic!("{other:?}"),
    }
    let before = store.projects(Some(dept)).await.unwrap().len();
    let mut office_project = p.clone();
    office_project.name.push_str("（组联处）");
    store
        .insert_project(office, &office_project, "officer")
        .await
        .unwrap();
    assert_eq!(store.projects(Some(dept)).await.unwrap().len(), before + 1);
    assert!(matches!(
        store
            .set_review_step(
                office,
                FlowKind::TargetSheet,
                FlowState::Submitted,
                None,
                "admin"
            )
            .await,
        Err(Error::Refused { .. })
    ));
    // The project list: filters, search (wildcards taken literally), pages, grades kept with
    // each save.
    let in_dept = store.projects(Some(dept)).await.unwrap().len() as i64;
    let page = |f: ProjectFilter| async move { store.project_page(&f).await.unwrap() };
    let all = ProjectFilter {
        scope: Some(dept),
        limit: 5,
        ..ProjectFilter::default()
    };
    let (first, total) = page(all.clone()).await;
    assert_eq!((first.len(), total), (5, in_dept));
    let (last, _) = page(ProjectFilter {
        offset: 5 * ((in_dept - 1) / 5),
        ..all.clone()
    })
    .await;
    assert_eq!(last.len() as i64, in_dept - 5 * ((in_dept - 1) / 5));
    let (approved, n) = page(ProjectFilter {
        target_sheet: Some(FlowState::Approved),
        limit: 50,
        ..all.clone()
    })
    .await;
    assert_eq!((n, approved[0].summary.id), (1, id));
    let graded = approved[0]
        .grade
        .clone()
        .expect("the Kunming framework grades it");
    assert!(approved[0].score.is_some());
    let (same_grade, _) = page(ProjectFilter {
        grade: Some(graded),
        limit: 50,
        ..all.clone()
    })
    .await;
    assert!(same_grade.iter().any(|r| r.summary.id == id));
    let (found, n) = page(ProjectFilter {
        query: Some("（变体3）".into()),
        limit: 50,
        ..all.clone()
    })
    .await;
    assert_eq!((n, found.len()), (1, 1));
    assert_eq!(
        page(ProjectFilter {
            query: Some("%".into()),
            limit: 50,
            ..all.clone()
        })
        .await
        .1,
        0,
        "a % in the search is a character, not a wildcard"
    );
    assert_eq!(
        page(ProjectFilter {
            scope: Some(other),
            limit: 50,
            ..ProjectFilter::default()
        })
        .await
        .1,
        0
    );
    let (years, departments) = store.project_facets(Some(dept)).await.unwrap();
    assert_eq!(years, [p.year]);
    assert!(departments.contains(&p.department));
    let names =
        |users: Vec<jixiao_store::User>| users.into_iter().map(|u| u.username).collect::<Vec<_>>();
    assert_eq!(
        names(store.users(Some(dept)).await.unwrap()),
        ["finance_head", "head", "leader", "officer"]
    );
    assert_eq!(store.users(None).await.unwrap().len(), 6);
    store
        .create_session("session-hash", officer.id, "csrf", "2999-01-01T00:00:00Z")
        .await
        .unwrap();
    assert!(store.session("session-hash").await.unwrap().is_some());
    store
        .update_user(&officer, Role::Officer, true, "admin")
        .await
        .unwrap();
    assert!(store.session("session-hash").await.unwrap().is_none());
    let gone = store.user_by_username("officer").await.unwrap().unwrap();
    assert!(gone.disabled_at.is_some());
    store
        .update_user(&gone, Role::HeadOfOffice, false, "admin")
        .await
        .unwrap();
    let back = store.user_by_username("officer").await.unwrap().unwrap();
    assert_eq!((back.role, back.disabled_at), (Role::HeadOfOffice, None));

    // The audit trail: one entry per change, the failed insert left none.
    let problems = store.verify_audit(&[]).await.unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let heads = store.audit_heads().await.unwrap();
    let head = |org| heads.iter().find(|h| h.organisation == org).unwrap().seq;
    // The department: its creation, 15 changes of projects, 4 users, 10 review steps, 1 save
    // after approval, an adjustment (5 steps and 1 save), 2 evidence files and 1 deletion,
    // 2 changes of its review chain, 1 uploaded framework, 2 changes of a user; the other: its
    // creation, a project created and deleted, 1 user. (The office's project is in the
    // office's own chain.)
    assert_eq!((head(dept), head(other)), (45, 4));
    // Someone with write access to the database edits, deletes the end, deletes the middle.
    let raw = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    sqlx::query("update audit_entry set actor = 'mallory' where organisation_id = $1 and seq = 2")
        .bind(dept.0)
        .execute(&raw)
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit(&heads).await.unwrap(),
        [Problem::Edited {
            organisation: dept,
            seq: 2
        }]
    );
    sqlx::query("update audit_entry set actor = 'tester' where organisation_id = $1 and seq = 2")
        .bind(dept.0)
        .execute(&raw)
        .await
        .unwrap();
    assert!(store.verify_audit(&heads).await.unwrap().is_empty());
    let last = head(dept);
    sqlx::query("delete from audit_entry where organisation_id = $1 and seq = $2")
        .bind(dept.0)
        .bind(last)
        .execute(&raw)
        .await
        .unwrap();
    // A deleted end is invisible in the chain alone, and found against the kept head.
    assert!(store.verify_audit(&[]).await.unwrap().is_empty());
    assert_eq!(
        store.verify_audit(&heads).await.unwrap(),
        [Problem::Head {
            organisation: dept,
            seq: last
        }]
    );
    sqlx::query("delete from audit_entry where organisation_id = $1 and seq = 3")
        .bind(dept.0)
        .execute(&raw)
        .await
        .unwrap();
    let problems = store.verify_audit(&[]).await.unwrap();
    assert_eq!(
        problems,
        [Problem::Missing {
            organisation: dept,
            from: 3,
            to: 3
        }]
    );
    assert!(
        problems[0].zh().contains("缺少第 3 至第 3 条"),
        "{}",
        problems[0].zh()
    );
    raw.close().await;
}

#[tokio::test]
async fn story_on_sqlite() {
    let dir = jixiao_testkit::TempDir::new("store-sqlite");
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    let url = format!("sqlite://{}/jixiao.db", dir.path().display());
    story(&store, &url).await;
    store.close().await;
    // Reopening runs the migrations again without harm and finds the data.
    let again = Store::open_data_dir(dir.path()).await.unwrap();
    assert_eq!(again.projects(None).await.unwrap().len(), 14);
}

/// An online backup while another task keeps writing: the copy is one committed state, every
/// project in it equals the live one, and its audit trail verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_backup_is_consistent_while_writing() {
    let dir = jixiao_testkit::TempDir::new("store-backup");
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    let dept = store
        .department("昆明市残疾人联合会", "tester")
        .await
        .unwrap();
    let p = kunming();
    let fw = jixiao_core::builtin::load("kunming-2022").unwrap();
    let mut rng = variants::Lcg(5);
    let projects: Vec<_> = (0..40)
        .map(|k| {
            let mut v = variants::variant(&p, &fw, &mut rng);
            v.name = format!("{}（{k}）", p.name);
            v
        })
        .collect();
    for v in &projects[..10] {
        store.insert_project(dept, v, "tester").await.unwrap();
    }
    let writer = {
        let store = store.clone();
        let rest = projects[10..].to_vec();
        tokio::spawn(async move {
            for v in &rest {
                store.insert_project(dept, v, "writer").await.unwrap();
            }
        })
    };
    let copy = dir.path().join("backup.db");
    store.backup(&copy).await.unwrap();
    writer.await.unwrap();
    assert!(
        matches!(store.backup(&copy).await, Err(Error::Open(_))),
        "an existing file is not overwritten"
    );
    let restored = Store::open(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    let in_copy = restored.projects(None).await.unwrap();
    assert!(
        in_copy.len() >= 10 && in_copy.len() <= 40,
        "{}",
        in_copy.len()
    );
    for s in &in_copy {
        assert_eq!(
            restored.project(s.id).await.unwrap(),
            store.project(s.id).await.unwrap()
        );
    }
    assert!(restored.verify_audit(&[]).await.unwrap().is_empty());
    assert_eq!(store.projects(None).await.unwrap().len(), 40);
}

#[tokio::test]
async fn a_mistyped_sqlite_path_is_not_created() {
    let dir = jixiao_testkit::TempDir::new("store-missing");
    let url = format!("sqlite://{}/nope/jixiao.db", dir.path().display());
    assert!(matches!(Store::open(&url).await, Err(Error::Open(_))));
    assert!(!dir.path().join("nope").exists());
    match Store::open("mysql://root@localhost/x").await {
        Err(e @ Error::UnsupportedUrl { .. }) => assert!(e.zh().contains("不支持的数据库地址")),
        other => panic!("{other:?}"),
    }
}

/// A fresh database on the PostgreSQL server of `JIXIAO_TEST_PG_URL`, dropped afterwards.
#[tokio::test]
async fn story_on_postgres() {
    let Ok(admin) = std::env::var("JIXIAO_TEST_PG_URL") else {
        eprintln!(
            "JIXIAO_TEST_PG_URL is not set: the PostgreSQL run is skipped (scripts/test sets it)"
        );
        return;
    };
    let name = format!("jixiao_conformance_{}", std::process::id());
    let url = jixiao_store::admin::create_database(&admin, &name)
        .await
        .unwrap();
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    story(&store, &url).await;
    store.close().await;
    jixiao_store::admin::drop_database(&admin, &name)
        .await
        .unwrap();
}

/// Several processes (here: stores with their own connections) opening one new data
/// directory at once all find a complete schema; none fails half-way through creating it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stores_opening_a_new_file_at_once_migrate_it_once() {
    let dir = jixiao_testkit::TempDir::new("store-race");
    let path = dir.path().join("data");
    let opens: Vec<_> = (0..6)
        .map(|_| {
            let path = path.clone();
            tokio::spawn(async move { Store::open_data_dir(&path).await })
        })
        .collect();
    for o in opens {
        let store = o.await.expect("task").expect("every store opens");
        assert!(
            store
                .organisations()
                .await
                .expect("schema in place")
                .is_empty()
        );
    }
}
