/**
 * The simulator's services with a per-test hook after chosen operations: what OCI does between
 * two calls that the simulator does not model on its own (a resource deleted right after Resource
 * Search listed it; an answer missing a field). The real handler runs first, through the whole
 * request pipeline (signature, faults, audit); the hook sees its context and result and may change
 * the state or the answer. Pass `services` to useSimulator / startSimulator.
 *
 *   const hooks = operationHooks();
 *   const suite = useSimulator({ services: hooks.services });
 *   hooks.after.set("GetKey", (ctx, result) => ...);   // hooks.after.clear() when done
 */
import type { OpContext, OpResult, SimService } from "../../src/sim/sim-service.js";
import { ALL_SERVICES } from "../../src/sim/services/all-services.js";

export type AfterHook = (ctx: OpContext, result: OpResult) => OpResult;

export function operationHooks(): { services: SimService[]; after: Map<string, AfterHook> } {
  const after = new Map<string, AfterHook>();
  const services = ALL_SERVICES.map((service) => ({
    ...service,
    operations: service.operations.map((op) => ({
      ...op,
      async handle(ctx: OpContext): Promise<OpResult> {
        const result = await op.handle(ctx);
        const hook = after.get(op.name);
        return hook ? hook(ctx, result) : result;
      },
    })),
  }));
  return { services, after };
}
