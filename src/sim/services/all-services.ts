/**
 * Every service the simulator serves. A new service is one file exporting a SimService
 * (see sim-service.ts) plus one line here.
 */
import type { SimService } from "../sim-service.js";
import { auditService } from "./audit-service.js";
import { blockstorageService } from "./blockstorage-service.js";
import { identityService } from "./identity-service.js";
import { kmsCryptoService } from "./kms-crypto-service.js";
import { kmsManagementService } from "./kms-management-service.js";
import { kmsVaultService } from "./kms-vault-service.js";
import { loggingSearchService } from "./logging-search-service.js";
import { monitoringService } from "./monitoring-service.js";
import { objectStorageService } from "./objectstorage-service.js";
import { onsService } from "./ons-service.js";
import { resourceSearchService } from "./resource-search-service.js";

export const ALL_SERVICES: readonly SimService[] = [kmsVaultService, kmsManagementService, kmsCryptoService, identityService, auditService, loggingSearchService, objectStorageService, blockstorageService, monitoringService, onsService, resourceSearchService];
