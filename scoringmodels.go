package main

import "context"

// setScoringModels reloads the institutions' scoring models from the store
// and gives the matching engine their latest versions and the products'
// uses of them; when the scores moved, the answers computed from them are
// dropped (scoresMoved).
func (a *app) setScoringModels(ctx context.Context) error {
	moved, err := a.models.Reload(ctx)
	if err != nil {
		return err
	}
	if moved {
		a.log.Info("the scoring models changed; their products rescored")
		a.scoresMoved(ctx)
	}
	return nil
}
