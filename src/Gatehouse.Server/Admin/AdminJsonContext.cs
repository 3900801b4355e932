using System.Text.Json.Serialization;
using Gatehouse.Storage.Governance;

namespace Gatehouse.Server.Admin;

/// <summary>Source-generated JSON for the admin API: snake_case names, unknown fields rejected, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(KeyCreateRequest))]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(IReadOnlyList<KeyView>))]
[JsonSerializable(typeof(EntityRequest))]
[JsonSerializable(typeof(DirectoryEntity))]
[JsonSerializable(typeof(IReadOnlyList<DirectoryEntity>))]
[JsonSerializable(typeof(LimitRequest))]
[JsonSerializable(typeof(LimitRecord))]
[JsonSerializable(typeof(IReadOnlyList<LimitRecord>))]
[JsonSerializable(typeof(BudgetRequest))]
[JsonSerializable(typeof(BudgetView))]
[JsonSerializable(typeof(IReadOnlyList<BudgetView>))]
[JsonSerializable(typeof(AuditRecordView))]
[JsonSerializable(typeof(List<AuditRecordView>))]
[JsonSerializable(typeof(AuditVerifyView))]
[JsonSerializable(typeof(PolicyTestRequest))]
[JsonSerializable(typeof(CredentialRequest))]
[JsonSerializable(typeof(CredentialView))]
[JsonSerializable(typeof(IReadOnlyList<CredentialView>))]
[JsonSerializable(typeof(VaultRotationView))]
[JsonSerializable(typeof(List<AnomalyView>))]
[JsonSerializable(typeof(PolicyTestView))]
[JsonSerializable(typeof(PolicyDocumentView))]
[JsonSerializable(typeof(IReadOnlyList<PolicyDocumentView>))]
public sealed partial class AdminJsonContext : JsonSerializerContext;
