namespace Gatehouse.Server.Config;

/// <summary>A model name written in the configuration (a virtual model or <c>provider/model</c>), with where it stands for messages.</summary>
public sealed record ModelReference(string Name, int Line, int Column);
