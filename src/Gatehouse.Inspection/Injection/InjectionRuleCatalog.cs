namespace Gatehouse.Inspection.Injection;

/// <summary>The built-in injection and jailbreak heuristics; their weights combine with the model score (noisy-or).</summary>
public static class InjectionRuleCatalog
{
    private const string Gap = @"[^.\n]{0,40}";

    /// <summary>All built-in rules.</summary>
    public static IReadOnlyList<InjectionRule> All { get; } =
    [
        new("ignore-previous-instructions", 0.99,
            @"\b(?:ignore|disregard|forget|skip|override|bypass|neglect|drop)\b" + Gap + @"\b(?:previous|prior|above|earlier|preceding|former|initial|original|system|all|any|your)\b" + Gap + @"\b(?:instructions?|prompts?|rules|directives|guidelines|commands|directions|constraints|restrictions)\b", ["ignore", "disregard", "forget", "skip", "override", "bypass", "neglect", "drop"]),
        new("previous-instructions-void", 0.8, @"\b(?:previous|above|earlier|prior|old) (?:instructions?|rules|prompts?) (?:were|was|are|is) (?:wrong|a test|fake|cancel+ed|void|obsolete|no longer valid)", ["wrong", "a test", "fake", "cancel", "void", "obsolete", "no longer valid"]),
        new("new-instructions", 0.7, @"\b(?:new|updated|real|actual|true|revised) (?:system )?(?:instructions?|directives?|rules)\s?:", ["instruction", "directive", "rules"]),
        new("do-not-follow-rules", 0.8, @"\b(?:do not|don't|never|stop) (?:follow|obey|adhere to|comply with) (?:your|the|any|those|these) (?:rules|guidelines|instructions|policies|programming)", ["follow", "obey", "adhere", "comply"]),
        new("system-prompt-exfiltration", 0.99,
            @"\b(?:reveal|show|print|display|output|repeat|tell me|leak|dump|give me|share|what (?:is|are|was|were))\b" + Gap + @"\b(?:system|initial|original|hidden|secret|developer|pre-?)\s?(?:prompt|instructions?|message)", ["prompt", "instruction", "message"]),
        new("repeat-text-above", 0.7, @"\b(?:repeat|print|output)\b" + Gap + @"\b(?:words|text|everything|all)\b" + Gap + @"\babove\b", ["above"]),
        new("do-anything-now", 0.99, @"\bdo anything now\b|\byou are (?:now )?dan\b|\bdan mode\b|\bdan\s?\d+(?:\.\d+)?\b", ["do anything now", "dan"]),
        new("special-mode", 0.75, @"\b(?:developer|god|jailbreak|jailbroken|unrestricted|unfiltered|evil|opposite|anti-?dan|sudo|debug) mode\b", [" mode"]),
        new("jailbreak-word", 0.6, @"\bjailbr(?:oken|eak|eaking)\b", ["jailbr"]),
        new("no-restrictions", 0.6, @"\b(?:without|no|free (?:from|of)|not bound by|unbound by|ignore) (?:any |all |the )?(?:restrictions|filters|limitations|censorship|ethical (?:guidelines|constraints|considerations)|moral (?:guidelines|constraints)|content polic(?:y|ies))\b", ["restriction", "filter", "limitation", "censorship", "ethical", "moral", "content polic"]),
        new("unrestricted-persona", 0.7, @"\b(?:pretend|act as if|imagine|roleplay as|role-play as|act as) (?:you are|you're|to be|an?) (?:an? )?(?:unfiltered|unrestricted|uncensored|evil|amoral|immoral|rogue)\b", ["unfiltered", "unrestricted", "uncensored", "evil", "amoral", "immoral", "rogue"]),
        new("role-switch", 0.6, @"\b(?:from now on|henceforth|starting now|for the rest of this conversation),? you (?:are|will|must|shall|can)\b", ["from now on", "henceforth", "starting now", "for the rest of this conversation"]),
        new("no-longer-bound", 0.65, @"\byou (?:are|will be) no longer\b|\byou have (?:been )?(?:freed|liberated|broken free)\b", ["no longer", "freed", "liberated", "broken free"]),
        new("stay-in-character", 0.6, @"\bstay in character\b|\bbreak(?:ing)? character\b", ["character"]),
        new("chat-template-tokens", 0.99, @"<\|?(?:im_start|im_end|system|endoftext|start_header_id|end_header_id|eot_id)\|?>|\[/?(?:inst|sys)\]|<</?sys>>", ["im_start", "im_end", "system", "endoftext", "header_id", "eot_id", "inst]", "sys]", "sys>>"]),
        new("fake-system-section", 0.7, @"(?:^|\n)\s?(?:#{2,}|\*\*|\[|<)\s?(?:system|admin|developer|instructions?)\s?(?:message|prompt|override|note)?\s?(?:#{2,}|\*\*|\]|>|:)", ["system", "admin", "developer", "instruction"]),
        new("override-safety", 0.8, @"\b(?:override|disable|bypass|turn off|deactivate)\b" + Gap + @"\b(?:safety|security|content|moderation)\s?(?:filters?|polic(?:y|ies)|protocols?|guardrails?|settings)", ["safety", "security", "content", "moderation"]),
        new("address-the-ai", 0.7, @"\b(?:attention|note to|message (?:to|for)|instructions? (?:to|for)|dear)\s(?:the )?(?:ai|assistant|llm|language model|chatbot|gpt|claude|model)\b", ["attention", "note to", "message to", "message for", "instruction", "dear"]),
        new("instruct-the-reply", 0.45, @"\b(?:in|to|into|throughout|within) your (?:reply|response|answer|output|responses|replies|answers)\b", ["your repl", "your respon", "your answer", "your output"]),
        new("markdown-image-exfiltration", 0.6, @"!\[[^\]\n]{0,40}\]\(https?://[^)\s]{0,200}[?&][a-z_]{1,20}=", ["!["]),
    ];
}
