/**
 * Every service the simulator serves. A new service is one file exporting a SimService
 * (see sim-service.ts) plus one line here.
 */
import type { SimService } from "../sim-service.js";
import { identityService } from "./identity-service.js";
import { kmsCryptoService } from "./kms-crypto-service.js";
import { kmsManagementService } from "./kms-management-service.js";
import { kmsVaultService } from "./kms-vault-service.js";

export const ALL_SERVICES: readonly SimService[] = [kmsVaultService, kmsManagementService, kmsCryptoService, identityService];
