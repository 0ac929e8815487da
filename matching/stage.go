package matching

import "github.com/yurong/yurong/catalog"

// StageOf is the growth stage of e (catalog's rule, Enterprise.Stage).
func StageOf(e *catalog.Enterprise) catalog.GrowthStage { return e.Stage() }

// stageIndex numbers the stages 0, 1, 2 for arrays indexed by stage.
func stageIndex(s catalog.GrowthStage) int {
	switch s {
	case catalog.Growth:
		return 1
	case catalog.Stable:
		return 2
	}
	return 0
}
