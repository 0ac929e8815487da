package main

import (
	"context"
	"fmt"
	"time"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/clinics"
	"github.com/yurong/yurong/training"
)

// loadDemoClinicsAndTraining gives the demo the service corps's work (the
// action plan's tasks 9 and 10): the demo expert's specialities, a clinic
// in Zhengzhou a month ago whose experts diagnosed the three enterprises
// the engine proposed first, one coming in Luoyang, and a training
// session for each audience — the past ones attended by the demo accounts.
func (a *app) loadDemoClinicsAndTraining(ctx context.Context, adminID int64) error {
	experts, _, err := a.store.ListAccounts(ctx, string(auth.ExpertRole), 0, 10)
	if err != nil || len(experts) == 0 {
		return err
	}
	expert := experts[0].ID
	_, p, err := a.clinics.SetSpecialities(ctx, expert, []clinics.Speciality{clinics.Finance, clinics.Investment})
	if err := demoProblems("specialities", p, err); err != nil {
		return err
	}
	today := a.now().UTC().Truncate(24 * time.Hour)
	held, p, err := a.clinics.Schedule(ctx, &clinics.Clinic{Name: "郑州高新区一企一策诊疗会", City: catalog.Zhengzhou, Zone: "郑州高新技术产业开发区",
		HeldOn: today.AddDate(0, -1, 0), ExpertIDs: []int64{expert}, CreatedBy: adminID})
	if err := demoProblems("clinic", p, err); err != nil {
		return err
	}
	proposals, err := a.clinics.Propose(ctx, held, 3)
	if err != nil {
		return fmt.Errorf("demo clinic proposals: %w", err)
	}
	for _, pr := range proposals {
		_, p, err := a.clinics.Record(ctx, held, &clinics.Diagnosis{EnterpriseID: pr.EnterpriseID, RecordedBy: expert,
			Notes:      "研发投入强度高，订单增长快，流动资金偏紧；建议以信用类科技贷解决短期周转，同步准备股权融资材料。",
			GrowthPlan: []string{"三个月内完成高新技术企业认定材料", "半年内新增发明专利申请 2 件", "年内引入一家投孵联动基金的早期尽调"}})
		if err := demoProblems("diagnosis", p, err); err != nil {
			return err
		}
	}
	_, p, err = a.clinics.Schedule(ctx, &clinics.Clinic{Name: "洛阳一企一策诊疗会", City: catalog.Luoyang,
		HeldOn: today.AddDate(0, 0, 21), ExpertIDs: []int64{expert}, CreatedBy: adminID})
	if err := demoProblems("clinic", p, err); err != nil {
		return err
	}

	accounts, _, err := a.store.ListAccounts(ctx, "", 0, 20)
	if err != nil {
		return err
	}
	sessions := []*training.Session{
		{Title: "科技金融政策与科技贷实务", Audience: training.ScienceOfficials, Topic: training.InnovativeFinance, City: catalog.Zhengzhou, HeldOn: today.AddDate(0, -2, 0), Capacity: 60},
		{Title: "早小硬企业授信评估", Audience: training.FinancialStaff, Topic: training.FinancingPlanning, City: catalog.Zhengzhou, HeldOn: today.AddDate(0, 0, -10), Capacity: 40},
		{Title: "科技企业融资规划", Audience: training.EnterpriseLeaders, Topic: training.FinancingPlanning, City: catalog.Luoyang, HeldOn: today.AddDate(0, 0, 14), Capacity: 3},
		{Title: "技术经理人：成果转化与交易", Audience: training.TechnologyManagers, Topic: training.TechnologyTransfer, City: catalog.Xinxiang, HeldOn: today.AddDate(0, 1, 0), Capacity: 50},
	}
	for _, s := range sessions {
		if p := training.ValidateSession(s, today); len(p) > 0 {
			return demoProblems("training session", p, nil)
		}
		if err := a.store.CreateTrainingSession(ctx, s); err != nil {
			return fmt.Errorf("demo training session: %w", err)
		}
		var registered []int64
		for _, acc := range accounts {
			// A full session puts the rest on its waiting list.
			reg := &training.Registration{SessionID: s.ID, AccountID: acc.ID, Name: acc.Name, CreatedAt: a.now().UTC().Truncate(time.Microsecond)}
			if err := a.store.Register(ctx, reg); err != nil {
				return fmt.Errorf("demo training registration: %w", err)
			}
			registered = append(registered, acc.ID)
		}
		if s.HeldOn.Before(today) {
			if _, err := a.store.MarkAttended(ctx, s.ID, registered); err != nil {
				return fmt.Errorf("demo training attendance: %w", err)
			}
		}
	}
	return nil
}
