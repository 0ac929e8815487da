package redisstate

import (
	"fmt"

	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel"

	"github.com/yurong/yurong/tracing"
)

// traceRedis gives every command and pipeline of client a span ("get",
// "redis.pipeline evalsha") under the request's span. Without one there
// is none: the health probe and the broker would otherwise start a trace
// every few hundred milliseconds. Commands are named, never written out:
// keys hold client ids and values cached responses. The caller's file and
// line are not looked up either, a stack walk per command.
func traceRedis(client *redis.Client) error {
	err := redisotel.InstrumentTracing(client,
		redisotel.WithTracerProvider(tracing.ChildSpans(otel.GetTracerProvider())),
		redisotel.WithDBStatement(false),
		redisotel.WithCallerEnabled(false),
	)
	if err != nil {
		return fmt.Errorf("redisstate: trace redis: %w", err)
	}
	return nil
}
