using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Coordinator.Api;

/// <summary><c>/api/parameters</c>: the parameters a sweep file may set, as their schema (<see cref="TrainerParameters"/>) defines them.</summary>
public static class ParametersApi
{
    public static RouteHandlerBuilder MapParametersApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/parameters", () => TypedResults.Ok(ParameterDocument.Known)).WithTags("Parameters")
            .WithSummary("The trainer's parameters a sweep may set: name, type, accepted values, default and meaning");
}

/// <summary>One parameter a sweep may set (<c>parameters.NAME</c>); any other name is free-form (<c>x_…</c>).</summary>
/// <param name="Type"><c>string</c>, <c>integer</c> or <c>real</c>.</param>
/// <param name="Accepted">The accepted values in words, as error messages give them: <c>an integer &gt;= 1</c>.</param>
/// <param name="Choices">The values of a fixed set of strings; null for any other type.</param>
/// <param name="Min">Smallest integer accepted; null for any other type.</param>
/// <param name="Max">Largest integer accepted; null for any other type.</param>
/// <param name="Default">The value when a sweep does not set it; null when the trainer derives it (<paramref name="DefaultNote"/>).</param>
/// <param name="DefaultNote">What stands for a missing default: <c>the book's: adam for mlp, rmsprop otherwise</c>.</param>
public sealed record ParameterDocument(
    string Name, string Type, string Accepted, IReadOnlyList<string>? Choices, long? Min, long? Max, JsonNode? Default, string? DefaultNote, string Help)
{
    /// <summary>Every parameter of <see cref="TrainerParameters.Known"/>, in its order.</summary>
    public static IReadOnlyList<ParameterDocument> Known { get; } = [.. TrainerParameters.Known.Select(From)];

    private static ParameterDocument From(ParameterDefinition parameter)
    {
        var integers = parameter.Type as IntegerType;
        return new(parameter.Name, parameter.Type.Kind, parameter.Type.Expected, (parameter.Type as ChoiceType)?.Choices,
            integers?.Min, integers?.Max, ToJson(parameter.Default), parameter.DefaultNote, parameter.Help);
    }

    private static JsonValue? ToJson(ParameterValue? value) => value switch
    {
        null => null,
        StringValue text => JsonValue.Create(text.Value),
        IntegerValue integer => JsonValue.Create(integer.Value),
        RealValue real => JsonValue.Create(real.Value),
        BooleanValue boolean => JsonValue.Create(boolean.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "not a parameter value"),
    };
}
