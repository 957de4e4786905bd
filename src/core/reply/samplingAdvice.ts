// DeepSeek-R1's usage recommendations (README, "Usage Recommendations"): temperature 0.5–0.7 (0.6), top-p
// 0.95, no system prompt. Settings may override them; this says when they stray and why it matters.

export const recommendedSampling = { temperature: 0.6, topP: 0.95, minTemperature: 0.5, maxTemperature: 0.7 } as const;

export function samplingWarnings(temperature: number, topP: number): string[] {
    const warnings: string[] = [];
    if (temperature < recommendedSampling.minTemperature) {
        warnings.push(`Temperature ${temperature} is below DeepSeek's recommended 0.5–0.7: R1 models tend to repeat themselves endlessly at low temperatures.`);
    } else if (temperature > recommendedSampling.maxTemperature) {
        warnings.push(`Temperature ${temperature} is above DeepSeek's recommended 0.5–0.7: R1 models may become incoherent or mix languages.`);
    }
    if (topP < 0.9) warnings.push(`Top-p ${topP} is well below DeepSeek's recommended 0.95.`);
    return warnings;
}
