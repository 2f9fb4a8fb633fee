/**
 * What each file in ../shared/oci-samples/ holds, read by hand from the files: the record count and,
 * for at least one record per file, every normalised field (event names as stored: lower-cased).
 * `raw` picks the record as it appears in the file, to compare with the stored raw JSON.
 */
import type { StoredAuditEvent } from "../../src/store/audit-events.js";

export interface SampleCheck {
  fields: Partial<StoredAuditEvent> & { eventId: string };
  raw: (fileText: string) => unknown;
}

export interface SampleExpectation {
  count: number;
  checks: SampleCheck[];
}

const line = (n: number) => (text: string) => JSON.parse(text.split("\n")[n - 1] as string);
const whole = (text: string) => JSON.parse(text);
const item = (i: number) => (text: string) => (JSON.parse(text) as unknown[])[i];

/** The fields of the eugsim1 `_Audit` exports that every record there shares. */
const EUGSIM1 = {
  envelope: "logging-cloudevents",
  compartmentId: "ocid1.compartment.oc1..aaaaaaaaexamplecompartment1",
  compartmentName: "LoggingAnalytics",
  tenantId: "ocid1.tenancy.oc1..aaaaaaaaexampletenancy1",
  regionId: null,
  conflictOfSeq: null,
};
const FED_USER = {
  principalId: "ocid1.saml2idp.oc1..aaaaaaaaexamplesaml2idp1/example.user@example.com",
  principalName: "example.user@example.com",
  authType: "fed",
};

export const SAMPLE_EXPECTATIONS: Record<string, SampleExpectation> = {
  "audit-api-listevents-item_computeapi-getinstance_oci-docs.json": {
    count: 1,
    checks: [
      {
        raw: whole,
        fields: {
          eventId: "<unique_ID>",
          eventTime: "2020-09-18T00:10:59.252Z",
          ingestedTime: null,
          eventType: "com.oraclecloud.ComputeApi.GetInstance",
          eventName: "getinstance",
          source: "ComputeApi",
          envelope: "audit-listevents",
          compartmentId: "ocid1.tenancy.oc1..<unique_ID>",
          compartmentName: "compartmentA",
          resourceId: "ocid1.instance.oc1.phx.<unique_ID>",
          resourceName: "my_instance",
          principalId: "ocid1.user.oc1..<unique_ID>",
          principalName: "ExampleName",
          authType: "natv",
          requestId: "<unique_ID>",
          requestAction: "GET",
          requestPath: "/20160918/instances/ocid1.instance.oc1.phx.<unique_ID>",
          responseStatus: "200",
          eventGroupingId: null,
          tenantId: "ocid1.tenancy.oc1..<unique_ID>",
          regionId: null,
          conflictOfSeq: null,
        },
      },
    ],
  },
  "audit-v2-jsonl-batch1-15rec_resourcemanager-createstack-statechange_logging-begin_fed-user_eugsim1-logging-analytics.jsonl": {
    count: 15,
    checks: [
      {
        raw: line(1),
        fields: {
          ...EUGSIM1,
          ...FED_USER,
          eventId: "2e951ebc-4463-4d0f-96ab-10adb06cf2d6",
          eventTime: "2021-02-11T16:09:02.562Z",
          ingestedTime: "2021-02-11T16:09:05.695Z",
          eventType: "com.oraclecloud.OracleResourceManager.CreateStack",
          eventName: "createstack",
          source: "from-compartment-LoggingAnalytics-20210211180823",
          resourceId: "ocid1.ormstack.oc1.eu-frankfurt-1.aaaaaaaaexampleormstack1",
          requestId: "csid1d6a131d4fcf80ebdd31af8ce32b/6f822cc3677d4eff9d4797cacc3d0196/91144B8FF154758AA4B2CE172523AA57",
          requestAction: "POST",
          requestPath: "/20180917/stacks",
          responseStatus: "200",
          eventGroupingId: "csid1d6a131d4fcf80ebdd31af8ce32b/6f822cc3677d4eff9d4797cacc3d0196",
        },
      },
      {
        // The 15th record: the file has no final newline.
        raw: line(15),
        fields: {
          ...EUGSIM1,
          ...FED_USER,
          eventId: "5a91b74e-8354-412b-8847-4c2713c0cfa3",
          eventTime: "2021-02-11T16:09:26.147Z",
          ingestedTime: "2021-02-11T16:09:33.257Z",
          eventType: "com.oraclecloud.logging.getLogGroup.begin",
          eventName: "getloggroup",
          source: "logging-analytics-demo",
          resourceId: "ocid1.loggroup.oc1.eu-frankfurt-1.aaaaaaaaexampleloggroup1",
          requestId: "fed5f0e21906788a639738e375f5afc3/8E45EFD4DFC14F8309A883A3C2F4EFDD",
          requestAction: "GET",
          requestPath: "/20200531/logGroups/ocid1.loggroup.oc1.eu-frankfurt-1.aaaaaaaaexampleloggroup1",
          responseStatus: "200",
        },
      },
    ],
  },
  "audit-v2-jsonl-batch2-56rec_objectstorage-getbucket_logginganalytics-create-statechange_fed-and-apikey-user_eugsim1-logging-analytics.jsonl": {
    count: 56,
    checks: [
      {
        raw: line(2),
        fields: {
          ...EUGSIM1,
          eventId: "2f1e87a7-7597-4415-b3cb-5bfda61b06ad",
          eventTime: "2021-02-11T16:38:42.513Z",
          ingestedTime: "2021-02-11T16:38:50.381Z",
          eventType: "com.oraclecloud.LoggingAnalytics.CreateLogAnalyticsEntity",
          eventName: "createloganalyticsentity",
          source: null, // "" in the file
          resourceId: null,
          principalId: "ocid1.user.oc1..aaaaaaaaexampleuser1",
          principalName: "oracleidentitycloudservice/example.user@example.com",
          authType: "natv",
          requestId: "A8D23B630FE34A30907C68DB0DEF184E/C4B754E137A5FAC3538A6D81E53D117E/2822E07CE6258273191BB37AEC2D0405",
          requestAction: "POST",
          requestPath: "/20200601/namespaces/frnj6sfkc1ep/logAnalyticsEntities",
          responseStatus: "200",
        },
      },
      {
        raw: line(56),
        fields: {
          ...EUGSIM1,
          ...FED_USER,
          eventId: "08482241-fbc8-9e26-fcb6-e7f18f8e55b2",
          eventTime: "2021-02-11T16:45:24.199Z",
          ingestedTime: "2021-02-11T16:45:27.869Z",
          eventType: "com.oraclecloud.objectstorage.listretentionrules",
          eventName: "listretentionrules",
          source: "loggin_bucket",
          resourceId: "/n/frnj6sfkc1ep/b/loggin_bucket/retentionRules",
          requestId: "fra-1:CUT4vnHXbpr4HS4uPYO1UVWqMtqu4HXU1XlCqiTw4iGS1AtgrPQNgLKPiAGQN2TH",
          requestAction: "GET",
          responseStatus: "200",
        },
      },
    ],
  },
  "audit-v2-jsonl-batch3-66rec_serviceconnector-create-202_logginganalytics-delete-204_service-principal_eugsim1-logging-analytics.jsonl": {
    count: 66,
    checks: [
      {
        raw: line(3),
        fields: { ...EUGSIM1, eventId: "0ec3616f-aa5c-47cf-b075-f976bc3c3301", eventTime: "2021-02-11T16:29:20.214Z", eventName: "deleteloganalyticsentity", responseStatus: "204" },
      },
      {
        // The `logging` service principal: authType null, principalId "logging/<cert fingerprint>".
        raw: line(28),
        fields: {
          ...EUGSIM1,
          eventId: "b2c3e186-2f9f-4346-b7d4-8f01cb3004d8",
          eventTime: "2021-02-11T16:31:33.505Z",
          ingestedTime: "2021-02-11T16:31:38.078Z",
          eventType: "com.oraclecloud.logging.getLogGroup.begin",
          eventName: "getloggroup",
          principalId: "logging/56:74:E0:EE:E0:04:62:8D:41:63:47:EA:75:DD:1D:EF:D1:07:40:D5",
          principalName: "logging",
          authType: null,
          requestId: "5B71F251CA9B4EAE97AA0AA84EBB64D0/D550C8BB0CB6B2556151A78D2DC93309",
          responseStatus: "200",
          // This record's oracle.tenantid (and identity.tenantId) is ...tenancy3 in the file.
          tenantId: "ocid1.tenancy.oc1..aaaaaaaaexampletenancy3",
        },
      },
      {
        raw: line(40),
        fields: {
          ...EUGSIM1,
          ...FED_USER,
          eventId: "6a74c7ce-ee5b-4370-a8fa-cbf8bc0ba4f9",
          eventTime: "2021-02-11T16:32:49.989Z",
          ingestedTime: "2021-02-11T16:32:51.933Z",
          eventType: "com.oraclecloud.ServiceConnector.CreateServiceConnector",
          eventName: "createserviceconnector",
          resourceId: null,
          requestId: "csid1d6a131d4fcf80ebdd31af8ce32b/6e41298eccf14f0eab209f80a1b77683/DDDB6ECA522CE69C271568287EDBA3E1",
          requestAction: "POST",
          requestPath: "/20200909/serviceConnectors",
          responseStatus: "202",
          eventGroupingId: "csid1d6a131d4fcf80ebdd31af8ce32b/6e41298eccf14f0eab209f80a1b77683",
        },
      },
    ],
  },
  "audit-v2-jsonl-batch4-62rec_resourcemanager-deletestack-204_serviceconnector-get_eugsim1-logging-analytics.jsonl": {
    count: 62,
    checks: [
      {
        raw: line(1),
        fields: {
          ...EUGSIM1,
          ...FED_USER,
          eventId: "4da10321-eb32-4b77-854c-db474f6ea30c",
          eventTime: "2021-02-11T16:22:06.143Z",
          ingestedTime: "2021-02-11T16:22:12.694Z",
          eventType: "com.oraclecloud.OracleResourceManager.GetStack",
          eventName: "getstack",
          source: "from-compartment-LoggingAnalytics-20210211180823",
          resourceId: "ocid1.ormstack.oc1.eu-frankfurt-1.aaaaaaaaexampleormstack1",
          requestPath: "/20180917/stacks/ocid1.ormstack.oc1.eu-frankfurt-1.aaaaaaaaexampleormstack1",
          responseStatus: "200",
        },
      },
      {
        raw: line(62),
        fields: {
          ...EUGSIM1,
          eventId: "9f69c15c-813c-bcdc-d0ba-8afc86fc237a",
          eventTime: "2021-02-11T16:29:13.394Z",
          ingestedTime: "2021-02-11T16:29:19.566Z",
          eventName: "listretentionrules",
          requestId: "fra-1:8mGDtGap8NgJ25sDFxTCuwAxan1q4i_fybuOA3BuSvJ-HoX3ynMnmDLrgoJRQQCL",
        },
      },
    ],
  },
  "audit-v2-serviceconnector-functions-batch_audit-listevents_newrelic.json": {
    count: 1,
    checks: [
      {
        raw: item(0),
        fields: {
          eventId: "93e7a143-650b-4632-8a53-a464f45ee3c5",
          eventTime: "2025-07-22T08:35:57.533Z",
          ingestedTime: "2025-07-22T08:36:04.240Z",
          eventType: "com.oraclecloud.Audit.ListEvents",
          eventName: "listevents",
          source: null,
          envelope: "logging-cloudevents",
          compartmentId: "ocid1.tenancy.oc1..aaaaaaaaexampletenancy1",
          compartmentName: "sandbox-beyond-cust-1",
          resourceId: null,
          resourceName: null,
          principalId: "ocid1.user.oc1..aaaaaaaaexampleuser1",
          principalName: "Example User",
          authType: "natv",
          requestId: "71307F2A2093465493A25661ED86E0C6/178728B3EA8B5C3F8F7C31E515FD3EC9/0D215F7644FF9433CF3011794D9BF24E",
          requestAction: "GET",
          requestPath: "/20190901/auditEvents",
          responseStatus: "200",
          eventGroupingId: "71307F2A2093465493A25661ED86E0C6/178728B3EA8B5C3F8F7C31E515FD3EC9",
          // The log's tenancy (oracle.tenantid), not the caller's (identity.tenantId = ...tenancy2).
          tenantId: "ocid1.tenancy.oc1..aaaaaaaaexampletenancy1",
          regionId: null,
        },
      },
    ],
  },
  "audit-v2-serviceconnector-functions-batch_listprivateips-instance_uploadocsfile-resource_oracle-functions-samples-sumologic.json": {
    count: 2,
    checks: [
      {
        raw: item(0),
        fields: {
          eventId: "45f1403b-8909-40df-aa69-769f867a30df",
          eventTime: "2023-03-17T12:57:44.914Z",
          ingestedTime: "2023-03-17T12:57:45.842Z",
          eventType: "com.oraclecloud.virtualNetwork.ListPrivateIps",
          eventName: "listprivateips",
          envelope: "logging-cloudevents",
          compartmentId: "ocid1.compartment.oc1..xxx",
          compartmentName: "Network",
          resourceId: null,
          principalId: "ocid1.instance.oc1.iad.xxx",
          principalName: null,
          authType: "instance",
          requestId: "/xxx/3ABE1F95B35432E3683550035916DA4D",
          requestAction: "GET",
          requestPath: "/20160918/privateIps",
          responseStatus: "200",
          eventGroupingId: "/xxx",
          tenantId: "ocid1.tenancy.oc1..xx",
        },
      },
      {
        raw: item(1),
        fields: {
          eventId: "82bc9a7c-876c-424b-b732-a6c19ca73dc9",
          eventTime: "2023-03-17T12:57:43.674Z",
          ingestedTime: "2023-03-17T12:57:53.467Z",
          eventType: "com.oraclecloud.LoggingAnalytics.UploadOCSFile",
          eventName: "uploadocsfile",
          compartmentId: "ocid1.compartment.oc1..xx",
          resourceId: "uploadOCSFile",
          principalId: "ocid1.serviceconnector.oc1.iad.xx",
          authType: "resource",
          requestId: "sch-7v3vazqt2ohujqmxuiwzhbg7dfcq/yy/zz",
          requestAction: "POST",
          requestPath: "/20200601/actions/uploadOCSFile",
          responseStatus: "200",
        },
      },
    ],
  },
  "events-service-event-cloudevents01_objectstorage-createbucket_oracle-functions-samples-event-display.json": {
    count: 1,
    checks: [
      {
        raw: whole,
        fields: {
          eventId: "fca0653f-85c5-9466-8812-001c51d338a4",
          eventTime: "2019-12-12T22:25:08.502Z",
          ingestedTime: null,
          eventType: "com.oraclecloud.objectstorage.createbucket",
          eventName: "createbucket",
          source: "ObjectStorage",
          envelope: "events-service",
          compartmentId: "ocid1.compartment.oc1..aaaaaaaaexamplecompartment1",
          compartmentName: "Example User",
          resourceId: "/n/oracle-serverless-devrel/b/",
          resourceName: "bucket-20191212-1425",
          principalId: null,
          principalName: null,
          authType: null,
          requestId: null,
          responseStatus: null,
          tenantId: null,
        },
      },
    ],
  },
  "events-service-event-cloudevents01_objectstorage-updatebucket_oci-data-science-ai-samples.json": {
    count: 1,
    checks: [
      {
        raw: whole,
        fields: {
          eventId: "xxxx-xxxxx-xxxxx-xxxxx",
          eventTime: "2022-06-16T22:29:47.000Z", // "2022-06-16T22:29:47Z" in the file
          eventType: "com.oraclecloud.objectstorage.updatebucket",
          eventName: "updatebucket",
          envelope: "events-service",
          compartmentId: "ocid1.compartment.oc1..xxxxxxx",
          compartmentName: "xxxxxx",
          resourceId: "/n/xxxxxx/b/xxxxxx/",
          resourceName: "xxxxxxxx",
          principalId: null,
        },
      },
    ],
  },
  "logging-kms-crypto-decrypt-log_oci-docs.json": {
    count: 1,
    checks: [
      {
        raw: whole, // the whole {datetime, logContent, regionId} wrapper
        fields: {
          eventId: "<unique_ID>",
          eventTime: "2024-12-18T07:05:42.026Z",
          ingestedTime: "2024-12-18T07:05:42.327Z",
          eventType: "com.oraclecloud.keymanagementservice.vault.crypto.decrypt",
          eventName: "decrypt",
          source: "ocid1.vault.oc1.eu-frankfurt-1.<unique_ID>",
          envelope: "service-log",
          compartmentId: "ocid1.tenancy.oc1..<unique_ID>",
          resourceId: "ocid1.key.oc1.eu-frankfurt-1.<unique_ID>", // `subject`
          principalId: "ocid1.user.oc1..<unique_ID>",
          principalName: null,
          requestId: "<unique_ID>", // data.opcRequestId
          requestAction: "DECRYPT",
          responseStatus: "200", // data.statusCode 200
          tenantId: "ocid1.tenancy.oc1..<unique_ID>",
          regionId: "eu-frankfurt-1",
        },
      },
    ],
  },
  "logging-searchlogs-response_audit-objectstorage-createbucket_oracle-functions-samples-syniverse.json": {
    count: 1,
    checks: [
      {
        raw: (text) => (JSON.parse(text) as { results: Array<{ data: unknown }> }).results[0]?.data,
        fields: {
          eventId: "1158fbdexxxx0", // logContent.id, not the flattened "1158x"
          eventTime: "2020-12-16T11:44:40.003Z",
          ingestedTime: "2020-12-16T11:44:48.648Z",
          eventType: "com.oraclecloud.objectstorage.createbucket",
          eventName: "createbucket",
          source: "bucket-test",
          envelope: "logging-cloudevents",
          compartmentId: "ocid1.compartment.oc1..ZZZzzz",
          compartmentName: "syniverse-compartmment",
          resourceId: "/n/yourTenancyName/b/",
          principalId: "ocid1.user.oc1..ZZZzzz",
          principalName: "ZZZzzz",
          authType: "natv",
          requestId: "phx-1:ZZZzzz",
          requestAction: "POST",
          requestPath: "/n/yourTenancyName/b/",
          responseStatus: "200",
          eventGroupingId: "phx-1:hJX79im5JP-ZZZzzz",
          tenantId: "ocid1.tenancy.oc1..ZZZzzz",
          regionId: null,
        },
      },
    ],
  },
};
