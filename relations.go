package main

import (
	"context"
	"fmt"
)

// The engine's relations are what it weighs beside the entities: this
// year's top banks, the links (residencies, agreements, interests, loans)
// and the institutions' scoring models. The store holds them; these
// functions read them and give them to the engine.

// relateEngine gives the empty engine the relations the store holds before
// the read model's load rebuilds it. The start-up's rematch then includes
// them, and so does the snapshot it writes or restores, whose key hashes
// them (ADR 029). Given after the rebuild, as the steps after the load
// still do for the demo's writes, they would rescore every product and
// enterprise they touch: at 600,000 enterprises, minutes of one core
// before serving.
func (a *app) relateEngine(ctx context.Context) error {
	for _, give := range []func(context.Context) (bool, error){a.giveTopBanks, a.giveLinks, a.models.Reload} {
		if _, err := give(ctx); err != nil {
			return err
		}
	}
	return nil
}

// rankBanks gives the matching engine this year's top banks.
func (a *app) rankBanks(ctx context.Context) error {
	return a.relate(ctx, a.giveTopBanks, "the top quarter of the bank evaluation changed; its products rescored")
}

// setLinks gives the matching engine the links as the store holds them.
func (a *app) setLinks(ctx context.Context) error {
	return a.relate(ctx, a.giveLinks, "the links changed; the pairings they touch rescored")
}

// setScoringModels reloads the institutions' scoring models from the store
// and gives the matching engine their latest versions and the products'
// uses of them.
func (a *app) setScoringModels(ctx context.Context) error {
	return a.relate(ctx, a.models.Reload, "the scoring models changed; their products rescored")
}

// relate gives the engine one relation; when the scores moved, it says so
// and drops the answers computed from them (scoresMoved).
func (a *app) relate(ctx context.Context, give func(context.Context) (bool, error), moved string) error {
	changed, err := give(ctx)
	if err != nil {
		return err
	}
	if changed {
		a.log.Info(moved)
		a.scoresMoved(ctx)
	}
	return nil
}

func (a *app) giveTopBanks(ctx context.Context) (bool, error) {
	top, err := a.financing.TopBanks(ctx)
	if err != nil {
		return false, fmt.Errorf("rank the banks: %w", err)
	}
	return a.engine.SetTopBanks(top), nil
}

// giveLinks gives residencies, agreements active today, open interests and
// disbursed bank loans.
func (a *app) giveLinks(ctx context.Context) (bool, error) {
	l, err := a.linkage.Links(ctx)
	if err != nil {
		return false, err
	}
	return a.engine.SetLinks(l), nil
}

// scoresMoved follows a change of scores that no entity write carried:
// it drops the answers computed from them and lets the indexer take the
// engine's slice notes.
func (a *app) scoresMoved(ctx context.Context) {
	a.shared.Responses().Invalidate(ctx, "matching")
	if a.indexer != nil {
		a.indexer.Notify()
	}
}
