using System.Security.Cryptography;
using Gatehouse.Core;
using Gatehouse.Governance.Audit;
using Gatehouse.Governance.Policies;
using Gatehouse.Providers;
using Gatehouse.Server.Governance;
using Gatehouse.Server.Runtime;
using Gatehouse.Storage.Governance;

namespace Gatehouse.Server.Admin;

/// <summary>
/// Provider keys in the vault (bring your own key per team): sealed with AES-256-GCM under the master key, the record
/// id bound as associated data; values never come back out through the API, logs or audit.
/// </summary>
public sealed class CredentialAdministration
{
    private readonly GovernanceState _state;
    private readonly IAuditAppender _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the operations.</summary>
    public CredentialAdministration(GovernanceState state, IAuditAppender audit, TimeProvider time)
    {
        _state = state;
        _audit = audit;
        _time = time;
    }

    /// <summary>Seals and stores a provider key (replacing one of the same name).</summary>
    public async Task<AdminResult<CredentialView>> SetAsync(AdminCaller caller, GatewaySnapshot snapshot, string name, CredentialRequest request, CancellationToken cancellationToken)
    {
        if (_state.Vault is not { } vault)
        {
            return AdminErrors.Invalid("value", $"No master key is configured: set {VaultKeys.CurrentVariable} (create one with `gatehouse vault new-key`) to store credentials.");
        }

        if (!AdminValidation.IsValidId(name))
        {
            return AdminErrors.Invalid("name", "a credential name is 1-128 characters: lowercase letters, digits, '.', '_', '-', '@'.");
        }

        if (request.Provider is null || !snapshot.Providers.TryGetValue(request.Provider, out var provider))
        {
            return AdminErrors.Invalid("provider", $"'provider' must name a configured provider ({string.Join(", ", snapshot.Providers.Keys)}).");
        }

        using var probe = new HttpRequestMessage();
        if (!provider.Adapter.ReplaceApiKey(probe, "probe"))
        {
            return AdminErrors.Invalid("provider", $"provider '{request.Provider}' ({provider.Options.Kind}) does not authenticate with an API key.");
        }

        if (string.IsNullOrEmpty(request.Value) || request.Value.Length > 8_192)
        {
            return AdminErrors.Invalid("value", "'value' is required (at most 8192 characters).");
        }

        if (!HeaderText.IsSafe(request.Value))
        {
            return AdminErrors.Invalid("value", "'value' must not contain line breaks or other control characters: it is sent in an HTTP header.");
        }

        if (AdminValidation.Reference(_state.Current, EntityKind.Team, request.TeamId, "team_id") is { } error)
        {
            return error;
        }

        if (!caller.CanManageTeam(request.TeamId))
        {
            return AdminErrors.Forbidden("A team admin may store keys only for its own team; shared provider keys need an admin.");
        }

        // Storing replaces the credential of the same name: it must be one the caller may change too.
        if (_state.Current.Credentials.FirstOrDefault(c => c.Name == name) is { } existing && !caller.CanManageTeam(existing.TeamId))
        {
            return AdminErrors.Forbidden($"Credential '{name}' belongs to another team or is shared; choose another name.");
        }

        var now = _time.GetUtcNow();
        var record = new CredentialRecord
        {
            Name = name,
            Provider = request.Provider,
            TeamId = request.TeamId,
            Sealed = vault.Seal(GovernanceState.CredentialAssociatedData(name), request.Value),
            UpdatedAt = now,
        };
        await _state.Store.SetCredentialAsync(record, cancellationToken);
        await _audit.AppendAsync(KeyAdministration.Entry(caller, PolicyActions.AdminCredentialsWrite, "credential:" + name, now, $$"""{"provider":"{{record.Provider}}"}"""), cancellationToken);
        await _state.RefreshAsync(force: true, cancellationToken);
        return View(record);
    }

    /// <summary>Lists credentials the caller may see (never their values).</summary>
    public IReadOnlyList<CredentialView> List(AdminCaller caller)
    {
        var result = new List<CredentialView>();
        foreach (var credential in _state.Current.Credentials)
        {
            if (caller.Role != AdminRole.TeamAdmin || caller.CanManageTeam(credential.TeamId))
            {
                result.Add(View(credential));
            }
        }

        return result;
    }

    /// <summary>Deletes a credential.</summary>
    public async Task<AdminResult<CredentialView>> DeleteAsync(AdminCaller caller, string name, CancellationToken cancellationToken)
    {
        var credential = _state.Current.Credentials.FirstOrDefault(c => c.Name == name);
        if (credential is null)
        {
            return AdminErrors.NotFound($"credential '{name}'");
        }

        if (!caller.CanWrite || !caller.CanManageTeam(credential.TeamId))
        {
            return AdminErrors.Forbidden("You may delete only credentials of a team you administer.");
        }

        await _state.Store.DeleteCredentialAsync(name, cancellationToken);
        await _audit.AppendAsync(KeyAdministration.Entry(caller, PolicyActions.AdminCredentialsWrite, "credential:" + name, _time.GetUtcNow(), "{\"deleted\":true}"), cancellationToken);
        await _state.RefreshAsync(force: true, cancellationToken);
        return View(credential);
    }

    /// <summary>Re-seals every credential not under the current master key; returns how many were re-sealed.</summary>
    public async Task<AdminResult<VaultRotationView>> RotateAsync(AdminCaller caller, CancellationToken cancellationToken)
    {
        if (caller.Role != AdminRole.Admin || _state.Vault is not { } vault)
        {
            return caller.Role != AdminRole.Admin ? AdminErrors.Forbidden("Only admins may rotate the vault.") : AdminErrors.Invalid("value", $"No master key is configured ({VaultKeys.CurrentVariable}).");
        }

        var rotated = 0;
        var unreadable = new List<string>();
        foreach (var credential in _state.Current.Credentials)
        {
            if (!vault.NeedsRotation(credential.Sealed))
            {
                continue;
            }

            // Opening fails when the old key is not in GATEHOUSE_MASTER_KEY_PREVIOUS (or the value is corrupt): the
            // others are still re-sealed, and the answer names the ones left.
            var data = GovernanceState.CredentialAssociatedData(credential.Name);
            string value;
            try
            {
                value = vault.Open(data, credential.Sealed);
            }
            catch (CryptographicException)
            {
                unreadable.Add(credential.Name);
                continue;
            }

            var resealed = vault.Seal(data, value);
            await _state.Store.SetCredentialAsync(credential with { Sealed = resealed, UpdatedAt = _time.GetUtcNow() }, cancellationToken);
            rotated++;
        }

        await _audit.AppendAsync(KeyAdministration.Entry(caller, PolicyActions.AdminCredentialsWrite, "vault", _time.GetUtcNow(), $$"""{"rotated":{{rotated}},"unreadable":{{unreadable.Count}},"master_key":"{{vault.CurrentKeyId}}"}"""), cancellationToken);
        await _state.RefreshAsync(force: true, cancellationToken);
        if (unreadable.Count > 0)
        {
            return new GatewayError(
                ErrorKind.InvalidRequest,
                $"{rotated} credential(s) were re-sealed; {unreadable.Count} could not be opened with the configured master keys ({string.Join(", ", unreadable)}). Set {VaultKeys.PreviousVariable} to the key they were sealed under and rotate again.",
                "vault_key_missing")
            { StatusOverride = 409 };
        }

        return new VaultRotationView { Rotated = rotated, MasterKeyId = vault.CurrentKeyId };
    }

    private CredentialView View(CredentialRecord credential)
    {
        var (_, key) = _state.Current.ApiKeyFor(credential.Provider, credential.TeamId);
        var parts = credential.Sealed.Split('.');
        return new CredentialView
        {
            Name = credential.Name,
            Provider = credential.Provider,
            TeamId = credential.TeamId,
            MasterKeyId = parts.Length == 3 ? parts[1] : "?",
            Status = key is null ? "unreadable" : "ok",
            UpdatedAt = credential.UpdatedAt,
        };
    }
}
